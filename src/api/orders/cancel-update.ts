import { WorkflowUpdateStage, type Client } from '@temporalio/client';
import type { Database } from '../../db/client.js';
import { orderWorkflowId } from '../../domain/order.js';
import { cancelOrderUpdate } from '../../workflows/messages.js';
import { ProblemError } from '../http/problem.js';
import { getOrder } from './reads.js';
import type { CancelResult } from './schemas.js';
import { DEFAULT_TEMPORAL_DEADLINES, GrpcStatus, grpcStatusOf, isTimedOut, withinDeadline, type TemporalDeadlines } from './temporal-deadlines.js';

export interface CancelUpdateDeps {
  db: Database;
  temporal: Client;
  temporalDeadlines?: Partial<TemporalDeadlines>;
}

/** 200: the saga settled within the short wait. 202: the cancel is accepted and its compensations run on. */
export interface CancelAnswer {
  status: 200 | 202;
  body: CancelResult;
}

/** No worker took the Update in time (a deploy, a crash, a backlog): nothing is known to be cancelled yet. */
function cancelNotAccepted(orderId: string): ProblemError {
  return new ProblemError(
    503,
    'temporal-unavailable',
    'Order service temporarily unavailable',
    `The cancel of order ${orderId} was not accepted in time: no worker is processing orders. Retry; with the same Idempotency-Key the retry is the same cancel.`,
    undefined,
    { 'retry-after': '5' },
    orderId,
  );
}

/**
 * Sends the cancel Update and answers as soon as the workflow has accepted it: the validator ran,
 * so the cancel will happen, but compensations may retry for as long as the payment provider is
 * down, and no request should wait on that. Both waits are bounded: acceptance (a worker must be
 * there) and then a short wait for the saga to settle, after which the order's current status is
 * the answer. The Update's id makes a retry the same cancel, not a second one.
 */
export async function cancelThroughUpdate(deps: CancelUpdateDeps, orderId: string, reason: string | undefined, updateId: string | undefined): Promise<CancelAnswer> {
  const { temporal } = deps;
  const deadlines = { ...DEFAULT_TEMPORAL_DEADLINES, ...deps.temporalDeadlines };
  const handle = temporal.workflow.getHandle(orderWorkflowId(orderId));
  let update;
  try {
    update = await withinDeadline(temporal, deadlines.cancelAcceptMs, () =>
      handle.startUpdate(cancelOrderUpdate, { args: [{ reason }], updateId, waitForStage: WorkflowUpdateStage.ACCEPTED }),
    );
  } catch (error) {
    // FAILED_PRECONDITION: the workflow's last task failed (a worker crashed or was redeployed mid-task)
    // and the server takes no Update until a worker retries that task. Passing, like a timeout.
    if (isTimedOut(error) || grpcStatusOf(error) === GrpcStatus.FAILED_PRECONDITION) throw cancelNotAccepted(orderId);
    throw error;
  }
  try {
    const state = await withinDeadline(temporal, deadlines.cancelSettleMs, () => update.result());
    return { status: 200, body: { id: state.orderId, status: state.status, failureReason: state.failureReason } };
  } catch (error) {
    if (!isTimedOut(error)) throw error;
    const order = await getOrder(deps.db, orderId);
    return { status: 202, body: { id: order.id, status: order.status, failureReason: order.failureReason } };
  }
}
