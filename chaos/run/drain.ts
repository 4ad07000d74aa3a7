import { setTimeout as sleep } from 'node:timers/promises';
import type { Client } from '@temporalio/client';
import { inArray, sql } from 'drizzle-orm';
import type { Database } from '../../src/db/client.js';
import { orders } from '../../src/db/schema.js';
import { FINAL_STATUSES } from '../../src/domain/order-status.js';

export interface DrainResult {
  drained: boolean;
  /** When the last order settled (or the deadline passed). */
  at: number;
  /** What was still open when it gave up. */
  open: { rows: number; workflows: number };
}

/**
 * Waits until nothing is in flight: no order row short of a final status (the reconciler's orphans
 * included) and no order workflow running (their notifications come after the status). Polls; gives
 * up at the deadline and says what was still open.
 */
export async function drainOrders({ db, temporal, deadlineMs }: { db: Database; temporal: Client; deadlineMs: number }): Promise<DrainResult> {
  const deadline = Date.now() + deadlineMs;
  let open = { rows: -1, workflows: -1 };
  for (;;) {
    try {
      const [row] = await db
        .select({ count: sql<number>`count(*)::int` })
        .from(orders)
        .where(sql`not (${inArray(orders.status, [...FINAL_STATUSES])} and not ${orders.refundPending})`);
      const { count } = await temporal.workflow.count(`WorkflowType = 'orderWorkflow' AND ExecutionStatus = 'Running'`);
      open = { rows: row?.count ?? 0, workflows: count };
      if (open.rows === 0 && open.workflows === 0) return { drained: true, at: Date.now(), open };
    } catch {
      // A server still coming back from the fault: ask again.
    }
    if (Date.now() >= deadline) return { drained: false, at: Date.now(), open };
    await sleep(500);
  }
}
