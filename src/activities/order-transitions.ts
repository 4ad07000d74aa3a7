import { ApplicationFailure } from '@temporalio/common';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { orders } from '../db/schema.js';
import { hasReached, PREVIOUS_STATUSES, type OrderStatus } from '../domain/order-status.js';

type Executor = Pick<Database, 'update' | 'select'>;

export interface TransitionExtras {
  failureReason?: string | null;
  failureDetail?: string | null;
  paymentId?: string | null;
  refundPending?: boolean;
}

/**
 * Moves an order to `to` only from a status that may precede it, so a retried or late write
 * can never move an order backwards. Returns false when the order was already there or past it on
 * the happy path (a retry, or a workflow reset replaying its steps over a COMPLETED order), as long
 * as it was paid with the same payment, if one is given; throws a non-retryable failure when it is
 * somewhere it cannot move from: a bug in the saga, or another payment than the one recorded.
 */
export async function transitionOrder(db: Executor, orderId: string, to: OrderStatus, extras: TransitionExtras = {}): Promise<boolean> {
  const updated = await db
    .update(orders)
    .set({ status: to, updatedAt: sql`now()`, ...extras })
    .where(and(eq(orders.id, orderId), inArray(orders.status, [...PREVIOUS_STATUSES[to]])))
    .returning({ id: orders.id });
  if (updated.length > 0) return true;
  const [current] = await db.select({ status: orders.status, paymentId: orders.paymentId }).from(orders).where(eq(orders.id, orderId));
  const status = current?.status as OrderStatus | undefined;
  // Non-retryable: a saga bug should fail loudly in the workflow, not retry forever under "must succeed" options.
  if (!current || !status || !hasReached(status, to)) {
    throw ApplicationFailure.nonRetryable(`Order ${orderId} cannot move to ${to} from ${status ?? 'nowhere: no such order'}`, 'IllegalOrderTransition');
  }
  if (extras.paymentId != null && current.paymentId !== extras.paymentId) {
    throw ApplicationFailure.nonRetryable(`Order ${orderId} is ${status} with payment ${current.paymentId ?? 'none'}, not ${extras.paymentId}`, 'IllegalOrderTransition');
  }
  return false;
}
