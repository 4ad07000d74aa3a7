import { WorkflowUpdateFailedError } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import { isFinal } from '../../domain/order-status.js';
import { ProblemError, problemBody } from '../http/problem.js';
import { cancelThroughUpdate, type CancelAnswer, type CancelUpdateDeps } from './cancel-update.js';
import { claimIdempotencyKey, fingerprint, saveIdempotentResponse, type StoredResponse } from './idempotency.js';
import { orderNotCancellable } from './order-problems.js';
import { getOrder } from './reads.js';

export interface CancelOutcome {
  response: StoredResponse;
  replayed: boolean;
}

/** `askedBefore`: this key's cancel was sent already (answered 202 or 503), so a final order may be its own doing: ask the same Update for its result. */
async function requestCancel(
  deps: CancelUpdateDeps,
  orderId: string,
  reason: string | undefined,
  updateId: string | undefined,
  askedBefore = false,
): Promise<CancelAnswer> {
  const { db } = deps;
  const order = await getOrder(db, orderId);
  if (isFinal(order.status) && !askedBefore) throw orderNotCancellable(orderId, `it is ${order.status}`);
  try {
    return await cancelThroughUpdate(deps, orderId, reason, updateId);
  } catch (error) {
    if (error instanceof WorkflowUpdateFailedError) throw orderNotCancellable(orderId, error.cause?.message ?? error.message);
    if (error instanceof WorkflowNotFoundError) throw orderNotCancellable(orderId, `it is ${(await getOrder(db, orderId)).status}`);
    throw error;
  }
}

/**
 * Cancels through a Temporal Update: the workflow's validator refuses what is past the point of
 * no return. An accepted cancel answers 200 once the compensations have run, or 202 if they take
 * longer than a short wait (see cancel-update.ts). With an Idempotency-Key, the Update's id derives
 * from the key, so Temporal itself dedupes a retried cancel, and a final answer (200 or 409) is
 * stored and replayed; a 202 is not stored, so a retry asks the same Update again and may get 200.
 */
export async function cancelOrder(
  deps: CancelUpdateDeps,
  orderId: string,
  { reason, idempotencyKey, instance }: { reason?: string; idempotencyKey?: string; instance: string },
): Promise<CancelOutcome> {
  if (!idempotencyKey) return { response: await requestCancel(deps, orderId, reason, undefined), replayed: false };
  const { customerId } = await getOrder(deps.db, orderId);
  const claim = await claimIdempotencyKey(deps.db, {
    customerId,
    key: idempotencyKey,
    orderId,
    fingerprint: fingerprint({ route: 'POST /orders/:id/cancel', orderId, reason: reason ?? null }),
  });
  if (!claim.claimed && claim.response) return { response: claim.response, replayed: true };
  let response: StoredResponse;
  try {
    response = await requestCancel(deps, orderId, reason, `cancel-${fingerprint(idempotencyKey).slice(0, 32)}`, !claim.claimed);
  } catch (error) {
    if (!(error instanceof ProblemError) || error.status !== 409) throw error;
    response = { status: 409, body: problemBody(error, instance) };
  }
  if (response.status !== 202) await saveIdempotentResponse(deps.db, customerId, idempotencyKey, response);
  return { response, replayed: !claim.claimed };
}
