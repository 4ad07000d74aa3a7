import { randomUUID } from 'node:crypto';
import { DEFAULT_PAYMENT_TOKEN, type CreateOrderRequest } from '../../domain/order.js';
import { isFinal } from '../../domain/order-status.js';
import { bySku } from '../../domain/sku-order.js';
import type { OrderState } from '../../workflows/messages.js';
import type { AppDeps } from '../http/app-env.js';
import { settleFailedStart } from './failed-start.js';
import { fingerprint, readExistingClaim, saveIdempotentResponse, type StoredResponse } from './idempotency.js';
import { recordOrder, type NewOrder } from './order-record.js';
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

/**
 * The order's rows and its key's claim (order-record.ts); a key already taken answers the first
 * request's order and stored response instead. The first response is known before the workflow
 * starts, so it is stored with the key right after: a replay returns it exactly. (A replay that
 * lands between the two statements, or after a crash between them, finds no stored response and
 * answers the order as the read model has it, which is the same PENDING order.)
 */
async function recordOrClaim(
  db: IntakeDeps['db'],
  request: CreateOrderRequest,
  order: NewOrder,
  idempotencyKey: string | undefined,
): Promise<{ orderId: string; response: StoredResponse | null }> {
  const claim = idempotencyKey ? { customerId: request.customerId, key: idempotencyKey, fingerprint: requestFingerprint(request) } : undefined;
  for (let attempt = 1; ; attempt++) {
    const row = await recordOrder(db, order, claim);
    if (row) {
      const response = { status: 202, body: toSummary(row, order.lines) };
      if (claim) await saveIdempotentResponse(db, claim.customerId, claim.key, response);
      return { orderId: order.id, response };
    }
    const existing = await readExistingClaim(db, claim!, attempt);
    if (existing && !existing.claimed) return { orderId: existing.orderId, response: existing.response };
  }
}

export async function placeOrder(deps: IntakeDeps, request: CreateOrderRequest, { idempotencyKey, requestId, waitMs = 0 }: PlaceOrderOptions = {}): Promise<PlacedOrder> {
  const { db } = deps;
  const priced = await priceLines(db, request);
  const paymentToken = request.paymentToken ?? DEFAULT_PAYMENT_TOKEN;
  const newOrderId = randomUUID();

  const recorded = await recordOrClaim(
    db,
    request,
    { id: newOrderId, customerId: request.customerId, total: priced.total, currency: priced.currency, paymentToken, lines: priced.lines },
    idempotencyKey,
  );
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
