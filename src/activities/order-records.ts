import { and, eq, sql } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { recordOrderEvent } from '../db/order-event-log.js';
import { orders, reservations } from '../db/schema.js';
import type { Money } from '../domain/money.js';
import type { FailureReason } from '../domain/order-status.js';
import { activityLog } from '../observability/activity-log.js';
import type { FinishedOrder, OrderMetrics } from './order-metrics.js';
import { transitionOrder } from './order-transitions.js';

export interface RecordOutcomeInput {
  orderId: string;
  status: 'FAILED' | 'CANCELLED';
  reason?: FailureReason;
  detail?: string;
  /** A refund is still to run after this outcome: the read model says so until the refund clears it. */
  refundPending?: boolean;
}

/**
 * Failure details are text from errors and from a cancelling client: PostgreSQL's text refuses
 * NUL, and a cut in the middle of a surrogate pair is not UTF-8. Neither may wedge the outcome.
 */
export function storableDetail(detail: string | undefined, maxLength = 500): string | null {
  if (detail === undefined) return null;
  return detail.replaceAll(NUL, '').slice(0, maxLength).replace(LONE_SURROGATE, '\uFFFD');
}

const NUL = String.fromCharCode(0);
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0];

/** Seconds from the order's acceptance to the final status just written, on the database's clock. */
async function secondsSinceAccepted(tx: Transaction, orderId: string): Promise<number> {
  const [row] = await tx.select({ createdAt: orders.createdAt, updatedAt: orders.updatedAt }).from(orders).where(eq(orders.id, orderId));
  return row ? Math.max(0, (row.updatedAt.getTime() - row.createdAt.getTime()) / 1000) : 0;
}

async function totalOf(tx: Transaction, orderId: string): Promise<Money> {
  const [row] = await tx.select({ amount: orders.totalAmount, currency: orders.currency }).from(orders).where(eq(orders.id, orderId));
  return { amount: row?.amount ?? 0, currency: row?.currency ?? 'USD' };
}

export function createOrderRecordActivities(db: Database, metrics?: OrderMetrics) {
  /**
   * Moves the order to its final status in `tx` and, only if this call really moved it, reports
   * it once the transaction has committed: an activity retried after the write counts nothing.
   */
  async function finish(write: (tx: Transaction) => Promise<boolean>, orderId: string, outcome: Omit<FinishedOrder, 'durationSeconds'>): Promise<void> {
    const finished = await db.transaction(async (tx) => ((await write(tx)) ? { ...outcome, durationSeconds: await secondsSinceAccepted(tx, orderId) } : undefined));
    if (!finished) return;
    metrics?.orderFinished(finished);
    activityLog().info(`Order ${finished.status}`, { status: finished.status, reason: finished.reason ?? undefined, durationSeconds: finished.durationSeconds });
  }

  /** The point of no return: held stock becomes sold and the order COMPLETED, together. */
  async function confirmOrder({ orderId }: { orderId: string }): Promise<void> {
    await finish(
      async (tx) => {
        await tx
          .update(reservations)
          .set({ status: 'COMMITTED', updatedAt: sql`now()` })
          .where(and(eq(reservations.orderId, orderId), eq(reservations.status, 'HELD')));
        const moved = await transitionOrder(tx, orderId, 'COMPLETED');
        if (moved) await recordOrderEvent(tx, { type: 'order.completed', orderId, data: { total: await totalOf(tx, orderId) } });
        return moved;
      },
      orderId,
      { status: 'COMPLETED' },
    );
  }

  async function recordOrderOutcome({ orderId, status, reason, detail, refundPending = false }: RecordOutcomeInput): Promise<void> {
    const failureDetail = storableDetail(detail);
    const write = async (tx: Transaction) => {
      const moved = await transitionOrder(tx, orderId, status, { failureReason: reason ?? null, failureDetail, refundPending });
      if (moved && status === 'FAILED') await recordOrderEvent(tx, { type: 'order.failed', orderId, data: { reason: reason ?? null, detail: failureDetail } });
      if (moved && status === 'CANCELLED') await recordOrderEvent(tx, { type: 'order.cancelled', orderId, data: { detail: failureDetail } });
      return moved;
    };
    await finish(write, orderId, { status, reason });
  }

  return { confirmOrder, recordOrderOutcome };
}
