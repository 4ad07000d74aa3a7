import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import { and, asc, eq, lt, sql } from 'drizzle-orm';
import { getOrder } from '../api/orders/reads.js';
import { DEFAULT_TEMPORAL_DEADLINES, withinDeadline } from '../api/orders/temporal-deadlines.js';
import { startOrderWorkflow, workflowInput } from '../api/orders/workflow-start.js';
import type { Database } from '../db/client.js';
import { recordOrderEvent } from '../db/order-event-log.js';
import { orders } from '../db/schema.js';
import { orderWorkflowId } from '../domain/order.js';
import type { Logger } from '../platform/logger.js';
import type { SagaTimings } from '../workflows/timings.js';

export interface PendingOrderReconcilerDeps {
  db: Database;
  temporal: Client;
  taskQueue: string;
  logger: Logger;
  /** A PENDING order younger than this may still have its start in flight, and is left alone. */
  olderThanMs: number;
  /**
   * An orphan older than this is failed rather than started: a customer charged a day after placing
   * an order that then showed as pending all along would rather place it again.
   */
  maxAgeMs: number;
  /** Orders looked at per pass, oldest first. */
  batchSize?: number;
  sagaTimings?: Partial<SagaTimings>;
}

export interface ReconcileResult {
  /** Orphans whose workflow this pass started. */
  started: string[];
  /** Orphans that cannot be started (no payment token kept, or too old), now FAILED with a reason. */
  failed: string[];
  /** Where the next pass goes on, or undefined when this one reached the end and the next starts over. */
  resumeAfter?: PassPosition;
}

/** The last order a pass looked at, in (created_at, id) order. */
export interface PassPosition {
  createdAt: Date;
  id: string;
}

/** Only rows written before payment tokens were kept can lack one. */
const NO_TOKEN_DETAIL = 'The order was recorded but its workflow never started, and no payment token was kept to start it: place it again.';
const TOO_OLD_DETAIL = 'The order was recorded but its workflow never started, and it is now too old to charge: place it again.';

async function hasWorkflow(temporal: Client, orderId: string): Promise<boolean> {
  try {
    await withinDeadline(temporal, DEFAULT_TEMPORAL_DEADLINES.callMs, () => temporal.workflow.getHandle(orderWorkflowId(orderId)).describe());
    return true;
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return false;
    throw error;
  }
}

/** Fails an orphan that is still PENDING, with its `order.failed` event in the same transaction; false when it had moved on. */
async function failOrphan(db: Database, orderId: string, failureDetail: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    const failed = await tx
      .update(orders)
      .set({ status: 'FAILED', failureReason: 'INVALID_ORDER', failureDetail, updatedAt: new Date() })
      .where(and(eq(orders.id, orderId), eq(orders.status, 'PENDING')))
      .returning({ id: orders.id });
    if (failed.length === 0) return false;
    await recordOrderEvent(tx, { type: 'order.failed', orderId, data: { reason: 'INVALID_ORDER', detail: failureDetail } });
    return true;
  });
}

/**
 * One pass over PENDING orders older than the bound that have no workflow (an API crash between
 * committing the row and starting the workflow, or a start whose fate the API could not learn):
 * each is started with the intake's own start options, so racing a client's retry or another
 * replica's pass is harmless (USE_EXISTING, REJECT_DUPLICATE), or failed with a reason when it
 * cannot be started. An order that has a workflow belongs to it and is not touched.
 * A pass looks at one batch, after `resumeAfter`: PENDING orders that do have a workflow (a worker
 * down for a while) fill a batch, so the next pass goes on past them rather than starting over.
 */
export async function reconcilePendingOrders(deps: PendingOrderReconcilerDeps, resumeAfter?: PassPosition): Promise<ReconcileResult> {
  const { db, temporal, logger } = deps;
  const batchSize = deps.batchSize ?? 100;
  const stale = await db
    .select({
      id: orders.id,
      createdAt: orders.createdAt,
      paymentToken: orders.paymentToken,
      tooOld: sql<boolean>`${orders.createdAt} < now() - make_interval(secs => ${deps.maxAgeMs / 1000})`,
    })
    .from(orders)
    .where(
      and(
        eq(orders.status, 'PENDING'),
        lt(orders.createdAt, sql`now() - make_interval(secs => ${deps.olderThanMs / 1000})`),
        resumeAfter && sql`(${orders.createdAt}, ${orders.id}) > (${resumeAfter.createdAt.toISOString()}::timestamptz, ${resumeAfter.id}::uuid)`,
      ),
    )
    .orderBy(asc(orders.createdAt), asc(orders.id))
    .limit(batchSize);
  const last = stale.at(-1);
  const result: ReconcileResult = { started: [], failed: [], resumeAfter: stale.length === batchSize && last ? { createdAt: last.createdAt, id: last.id } : undefined };
  for (const { id, paymentToken, tooOld } of stale) {
    try {
      if (await hasWorkflow(temporal, id)) continue;
      if (!paymentToken || tooOld) {
        if (await failOrphan(db, id, paymentToken ? TOO_OLD_DETAIL : NO_TOKEN_DETAIL)) result.failed.push(id);
        continue;
      }
      await startOrderWorkflow(deps, workflowInput(deps, await getOrder(db, id), paymentToken, undefined), 0);
      result.started.push(id);
    } catch (error) {
      // The next pass tries again: Temporal may be down, which is also why the order is orphaned.
      logger.warn({ err: error, orderId: id }, 'Reconciling a pending order failed; will try again');
    }
  }
  if (result.started.length + result.failed.length > 0) logger.info({ started: result.started, failed: result.failed }, 'Reconciled orphaned PENDING orders');
  return result;
}

/** Runs a pass every `intervalMs` until stopped; a pass never overlaps the next. */
export function runPendingOrderReconciler(deps: PendingOrderReconcilerDeps & { intervalMs: number }): { stop(): Promise<void> } {
  let timer: NodeJS.Timeout | undefined;
  let pass: Promise<unknown> = Promise.resolve();
  let stopped = false;
  let resumeAfter: PassPosition | undefined;
  const schedule = () => {
    timer = setTimeout(() => {
      pass = reconcilePendingOrders(deps, resumeAfter)
        .then((result) => (resumeAfter = result.resumeAfter))
        .catch((error: unknown) => deps.logger.warn({ err: error }, 'Reconciling pending orders failed; will try again'))
        .finally(() => !stopped && schedule());
    }, deps.intervalMs);
  };
  schedule();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await pass;
    },
  };
}
