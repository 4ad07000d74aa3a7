import { WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import type { Database } from '../../db/client.js';
import { orderWorkflowId } from '../../domain/order.js';
import { isFinal } from '../../domain/order-status.js';
import { cancelOrderUpdate } from '../../workflows/messages.js';
import { ProblemError, problemBody } from '../http/problem.js';
import { claimIdempotencyKey, fingerprint, saveIdempotentResponse, type StoredResponse } from './idempotency.js';
import { orderNotCancellable } from './order-problems.js';
import { getOrder } from './reads.js';

export interface CancelOutcome {
  response: StoredResponse;
  replayed: boolean;
}

async function requestCancel({ db, temporal }: { db: Database; temporal: Client }, orderId: string, reason: string | undefined, updateId: string | undefined) {
  const order = await getOrder(db, orderId);
  if (isFinal(order.status)) throw orderNotCancellable(orderId, `it is ${order.status}`);
  try {
    const state = await temporal.workflow.getHandle(orderWorkflowId(orderId)).executeUpdate(cancelOrderUpdate, { args: [{ reason }], updateId });
    return { id: state.orderId, status: state.status, failureReason: state.failureReason };
  } catch (error) {
    if (error instanceof WorkflowUpdateFailedError) throw orderNotCancellable(orderId, error.cause?.message ?? error.message);
    if (error instanceof WorkflowNotFoundError) throw orderNotCancellable(orderId, `it is ${(await getOrder(db, orderId)).status}`);
    throw error;
  }
}

/**
 * Cancels through a Temporal Update: the workflow's validator refuses what is past the point of
 * no return, and an accepted cancel answers only after the compensations have run. With an
 * Idempotency-Key, the Update's id derives from the key, so Temporal itself dedupes a retried
 * cancel, and the first answer (200 or 409) is stored and replayed.
 */
export async function cancelOrder(
  deps: { db: Database; temporal: Client },
  orderId: string,
  { reason, idempotencyKey, instance }: { reason?: string; idempotencyKey?: string; instance: string },
): Promise<CancelOutcome> {
  if (!idempotencyKey) return { response: { status: 200, body: await requestCancel(deps, orderId, reason, undefined) }, replayed: false };
  const { customerId } = await getOrder(deps.db, orderId);
  const claim = await claimIdempotencyKey(deps.db, { customerId, key: idempotencyKey, orderId, fingerprint: fingerprint({ route: 'POST /orders/:id/cancel', orderId, reason: reason ?? null }) });
  if (!claim.claimed && claim.response) return { response: claim.response, replayed: true };
  let response: StoredResponse;
  try {
    response = { status: 200, body: await requestCancel(deps, orderId, reason, `cancel-${fingerprint(idempotencyKey).slice(0, 32)}`) };
  } catch (error) {
    if (!(error instanceof ProblemError) || error.status !== 409) throw error;
    response = { status: 409, body: problemBody(error, instance) };
  }
  await saveIdempotentResponse(deps.db, customerId, idempotencyKey, response);
  return { response, replayed: !claim.claimed };
}
