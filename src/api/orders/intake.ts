import { randomUUID } from 'node:crypto';
import { recordOrderEvent } from '../../db/order-event-log.js';
import { orderItems, orders } from '../../db/schema.js';
import { DEFAULT_PAYMENT_TOKEN, type CreateOrderRequest } from '../../domain/order.js';
import { isFinal } from '../../domain/order-status.js';
import { bySku } from '../../domain/sku-order.js';
import type { OrderState } from '../../workflows/messages.js';
import type { AppDeps } from '../http/app-env.js';
import { settleFailedStart } from './failed-start.js';
import { claimIdempotencyKey, fingerprint, saveIdempotentResponse, type StoredResponse } from './idempotency.js';
import { priceLines } from './pricing.js';
import { getOrder, toSummary } from './reads.js';
import type { OrderSummary } from './schemas.js';
import { DEFAULT_TEMPORAL_DEADLINES } from './temporal-deadlines.js';
import { startOrderWorkflow, workflowInput } from './workflow-start.js';

export type IntakeDeps = Pick<AppDeps, 'db' | 'temporal' | 'taskQueue' | 'sagaTimings' | 'logger' | 'temporalDeadlines'>;

export interface PlacedOrder {
  order: OrderSummary;
  /** 202 while the saga runs on; 200 when the order became final within `Prefer: wait`. */
  status: number;
  /** True when an earlier request with the same Idempotency-Key already placed this order. */
  replayed: boolean;
}

/** The normalized request: item order and an omitted default token do not make a different request. */
export function requestFingerprint(request: CreateOrderRequest): string {
  return fingerprint({
    route: 'POST /orders',
    customerId: request.customerId,
    items: [...request.items].sort(bySku).map(({ sku, quantity }) => [sku, quantity]),
    paymentToken: request.paymentToken ?? DEFAULT_PAYMENT_TOKEN,
  });
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
      .values({ id: newOrderId, customerId: request.customerId, status: 'PENDING', totalAmount: priced.total, currency: priced.currency, paymentToken })
      .returning();
    await tx.insert(orderItems).values(priced.lines.map((line) => ({ orderId: newOrderId, ...line })));
    const response = { status: 202, body: toSummary(order!, priced.lines) };
    // The first response is known before the workflow starts, so it is stored with the order: a replay returns it exactly.
    if (idempotencyKey) await saveIdempotentResponse(tx, request.customerId, idempotencyKey, response);
    // Last in the transaction: the event log's lock is held until the commit.
    await recordOrderEvent(tx, {
      type: 'order.created',
      orderId: newOrderId,
      data: { customerId: request.customerId, total: { amount: priced.total, currency: priced.currency }, items: [...priced.lines].sort(bySku) },
    });
    return { orderId: newOrderId, response };
  });
  const replayed = recorded.orderId !== newOrderId;
  const accepted = (recorded.response?.body as OrderSummary | undefined) ?? (await getOrder(db, recorded.orderId));

  let outcome: OrderState | undefined;
  let startThrew = false;
  try {
    const deadlines = { ...DEFAULT_TEMPORAL_DEADLINES, ...deps.temporalDeadlines };
    outcome = await startOrderWorkflow(deps, workflowInput(deps, accepted, paymentToken, requestId), replayed ? 0 : waitMs, deadlines);
  } catch (error) {
    // Throws a 503 unless the workflow did start (then the order is accepted, and the wait saw nothing).
    await settleFailedStart(deps, recorded.orderId, error, idempotencyKey);
    startThrew = true;
  }
  if (replayed) return { order: accepted, status: recorded.response?.status ?? 202, replayed };
  if (startThrew && waitMs > 0) {
    // The wait was cut short by its deadline (no worker answered in time): the order as it stands now.
    const current = await getOrder(db, recorded.orderId);
    if (!isFinal(current.status)) return { order: current, status: 202, replayed };
  } else if (!outcome || !isFinal(outcome.status)) {
    return { order: accepted, status: 202, replayed };
  }
  // Final within the wait: answer with the order as the read model now has it, and make that the key's answer.
  const final = { status: 200, body: await getOrder(db, recorded.orderId) };
  if (idempotencyKey) await saveIdempotentResponse(db, request.customerId, idempotencyKey, final);
  return { order: final.body, status: 200, replayed };
}
