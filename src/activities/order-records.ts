import { and, eq, sql } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { orders, reservations } from '../db/schema.js';
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
        return transitionOrder(tx, orderId, 'COMPLETED');
      },
      orderId,
      { status: 'COMPLETED' },
    );
  }

  async function recordOrderOutcome({ orderId, status, reason, detail, refundPending = false }: RecordOutcomeInput): Promise<void> {
    await finish((tx) => transitionOrder(tx, orderId, status, { failureReason: reason ?? null, failureDetail: storableDetail(detail), refundPending }), orderId, {
      status,
      reason,
    });
  }

  return { confirmOrder, recordOrderOutcome };
}
