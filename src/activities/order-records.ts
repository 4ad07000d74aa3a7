import { and, eq, sql } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { reservations } from '../db/schema.js';
import type { FailureReason } from '../domain/order-status.js';
import { transitionOrder } from './order-transitions.js';

export interface RecordOutcomeInput {
  orderId: string;
  status: 'FAILED' | 'CANCELLED';
  reason?: FailureReason;
  detail?: string;
}

export function createOrderRecordActivities(db: Database) {
  /** The point of no return: held stock becomes sold and the order COMPLETED, together. */
  async function confirmOrder({ orderId }: { orderId: string }): Promise<void> {
    await db.transaction(async (tx) => {
      await tx
        .update(reservations)
        .set({ status: 'COMMITTED', updatedAt: sql`now()` })
        .where(and(eq(reservations.orderId, orderId), eq(reservations.status, 'HELD')));
      await transitionOrder(tx, orderId, 'COMPLETED');
    });
  }

  async function recordOrderOutcome({ orderId, status, reason, detail }: RecordOutcomeInput): Promise<void> {
    await transitionOrder(db, orderId, status, { failureReason: reason ?? null, failureDetail: detail?.slice(0, 500) ?? null });
  }

  return { confirmOrder, recordOrderOutcome };
}
