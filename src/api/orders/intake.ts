import { randomUUID } from 'node:crypto';
import { WithStartWorkflowOperation, WorkflowExecutionAlreadyStartedError, WorkflowIdConflictPolicy, WorkflowIdReusePolicy, type Client } from '@temporalio/client';
import { eq, inArray } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { orderItems, orders, products } from '../../db/schema.js';
import { multiply } from '../../domain/money.js';
import { DEFAULT_PAYMENT_TOKEN, orderWorkflowId, type CreateOrderRequest, type OrderLine } from '../../domain/order.js';
import { isFinal } from '../../domain/order-status.js';
import { describeOrderWorkflow } from '../../observability/order-summary.js';
import { ORDER_WORKFLOW_TYPE, waitForOutcomeUpdate, type OrderState, type OrderWorkflowInput } from '../../workflows/messages.js';
import type { orderWorkflow } from '../../workflows/order-workflow.js';
import { CustomerIdAttribute, OrderStatusAttribute, OrderTotalAttribute } from '../../workflows/search-attributes.js';
import type { SagaTimings } from '../../workflows/timings.js';
import { ProblemError } from '../http/problem.js';
import { claimIdempotencyKey, fingerprint, saveIdempotentResponse, type StoredResponse } from './idempotency.js';
import { getOrder, toSummary } from './reads.js';
import type { OrderSummary } from './schemas.js';

export interface IntakeDeps {
  db: Database;
  temporal: Client;
  taskQueue: string;
  /** Saga durations for the workflows this API starts; production defaults when absent. */
  sagaTimings?: Partial<SagaTimings>;
}

export interface PlacedOrder {
  order: OrderSummary;
  /** 202 while the saga runs on; 200 when the order became final within `Prefer: wait`. */
  status: 200 | 202 | number;
  /** True when an earlier request with the same Idempotency-Key already placed this order. */
  replayed: boolean;
}

/** Prices every line from the catalogue; the client never sets a price. */
async function priceLines(db: Database, request: CreateOrderRequest): Promise<{ lines: OrderLine[]; currency: string; total: number }> {
  const skus = request.items.map((item) => item.sku);
  const catalogue = new Map((await db.select().from(products).where(inArray(products.sku, skus))).map((p) => [p.sku, p]));
  const errors = request.items.flatMap((item, index) =>
    catalogue.has(item.sku) ? [] : [{ pointer: `/items/${index}/sku`, detail: `unknown SKU ${item.sku}` }],
  );
  if (errors.length > 0) {
    throw new ProblemError(400, 'validation-error', 'Your request is not valid', errors.map((e) => `${e.pointer}: ${e.detail}`).join('; '), errors);
  }
  const lines = request.items.map(({ sku, quantity }) => ({ sku, quantity, unitPrice: catalogue.get(sku)!.unitPrice }));
  const currencies = new Set(request.items.map(({ sku }) => catalogue.get(sku)!.currency));
  if (currencies.size > 1) {
    throw new ProblemError(400, 'mixed-currencies', 'Your request is not valid', `Items are priced in different currencies (${[...currencies].join(', ')}); place one order per currency`);
  }
  const total = lines.reduce((sum, line) => sum + multiply(line.unitPrice, line.quantity), 0);
  return { lines, currency: [...currencies][0]!, total };
}

/** The normalized request: item order and an omitted default token do not make a different request. */
export function requestFingerprint(request: CreateOrderRequest): string {
  return fingerprint({
    route: 'POST /orders',
    customerId: request.customerId,
    items: [...request.items].sort((a, b) => a.sku.localeCompare(b.sku)).map(({ sku, quantity }) => [sku, quantity]),
    paymentToken: request.paymentToken ?? DEFAULT_PAYMENT_TOKEN,
  });
}

function startOptions(deps: IntakeDeps, input: OrderWorkflowInput) {
  return {
    taskQueue: deps.taskQueue,
    workflowId: orderWorkflowId(input.orderId),
    args: [input] as [OrderWorkflowInput],
    workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
    workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
    typedSearchAttributes: [
      { key: OrderStatusAttribute, value: 'PENDING' },
      { key: CustomerIdAttribute, value: input.customerId },
      { key: OrderTotalAttribute, value: input.total.amount / 100 },
    ],
    // What the Web UI and `temporal workflow describe` show for this execution.
    ...describeOrderWorkflow(input),
  };
}

/**
 * Starts the order's one workflow. USE_EXISTING makes a repeated start return the running
 * execution; REJECT_DUPLICATE keeps a finished order from ever running again. So calling this
 * twice, after a crash or a retry, never makes a second order.
 *
 * With `waitMs`, the start carries the `waitForOutcome` Update (update-with-start): one call that
 * answers once the order is final, or when the wait is over, with no polling of the database.
 */
async function startOrderWorkflow(deps: IntakeDeps, input: OrderWorkflowInput, waitMs: number): Promise<OrderState | undefined> {
  try {
    if (waitMs <= 0) {
      await deps.temporal.workflow.start<typeof orderWorkflow>(ORDER_WORKFLOW_TYPE, startOptions(deps, input));
      return undefined;
    }
    const startWorkflowOperation = new WithStartWorkflowOperation<typeof orderWorkflow>(ORDER_WORKFLOW_TYPE, startOptions(deps, input));
    return await deps.temporal.workflow.executeUpdateWithStart(waitForOutcomeUpdate, { args: [{ timeoutMs: waitMs }], startWorkflowOperation });
  } catch (error) {
    // Already started and already finished: the order exists, and its status is in the read model.
    if (error instanceof WorkflowExecutionAlreadyStartedError) return undefined;
    throw error;
  }
}

function workflowInput(deps: IntakeDeps, order: OrderSummary, paymentToken: string, requestId: string | undefined): OrderWorkflowInput {
  return {
    orderId: order.id,
    customerId: order.customerId,
    lines: order.items,
    total: order.total,
    paymentToken,
    requestId,
    ...(deps.sagaTimings ? { timings: deps.sagaTimings } : {}),
  };
}

export interface PlaceOrderOptions {
  idempotencyKey?: string;
  requestId?: string;
  /** `Prefer: wait=N`: how long to wait for a final status before answering, in milliseconds. */
  waitMs?: number;
}

export async function placeOrder(deps: IntakeDeps, request: CreateOrderRequest, { idempotencyKey, requestId, waitMs = 0 }: PlaceOrderOptions = {}): Promise<PlacedOrder> {
  const { db } = deps;
  const priced = await priceLines(db, request);
  const paymentToken = request.paymentToken ?? DEFAULT_PAYMENT_TOKEN;
  const newOrderId = randomUUID();

  const recorded = await db.transaction(async (tx): Promise<{ orderId: string; response: StoredResponse | null }> => {
    if (idempotencyKey) {
      const claim = await claimIdempotencyKey(tx, { customerId: request.customerId, key: idempotencyKey, fingerprint: requestFingerprint(request), orderId: newOrderId });
      if (!claim.claimed) return { orderId: claim.orderId, response: claim.response };
    }
    const [order] = await tx
      .insert(orders)
      .values({ id: newOrderId, customerId: request.customerId, status: 'PENDING', totalAmount: priced.total, currency: priced.currency })
      .returning();
    await tx.insert(orderItems).values(priced.lines.map((line) => ({ orderId: newOrderId, ...line })));
    const response = { status: 202, body: toSummary(order!, priced.lines) };
    // The first response is known before the workflow starts, so it is stored with the order: a replay returns it exactly.
    if (idempotencyKey) await saveIdempotentResponse(tx, request.customerId, idempotencyKey, response);
    return { orderId: newOrderId, response };
  });
  const replayed = recorded.orderId !== newOrderId;
  const accepted = (recorded.response?.body as OrderSummary | undefined) ?? (await getOrder(db, recorded.orderId));

  let outcome: OrderState | undefined;
  try {
    outcome = await startOrderWorkflow(deps, workflowInput(deps, accepted, paymentToken, requestId), replayed ? 0 : waitMs);
  } catch (error) {
    // Without a key the client cannot retry into this order, so it must not linger half-made.
    // With a key, the rows stay: the client's retry finds them and starts the workflow then.
    if (!idempotencyKey) await db.delete(orders).where(eq(orders.id, recorded.orderId));
    throw new ProblemError(503, 'temporal-unavailable', 'Order service temporarily unavailable', `The order could not be started: ${(error as Error).message}. Retry with the same Idempotency-Key.`, undefined, { 'retry-after': '1' });
  }
  if (replayed) return { order: accepted, status: recorded.response?.status ?? 202, replayed };
  if (!outcome || !isFinal(outcome.status)) return { order: accepted, status: 202, replayed };
  // Final within the wait: answer with the order as the read model now has it, and make that the key's answer.
  const final = { status: 200, body: await getOrder(db, recorded.orderId) };
  if (idempotencyKey) await saveIdempotentResponse(db, request.customerId, idempotencyKey, final);
  return { order: final.body, status: 200, replayed };
}
