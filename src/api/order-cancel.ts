import { WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import type { Database } from '../db/client.js';
import { orderWorkflowId } from '../domain/order.js';
import { isFinal } from '../domain/order-status.js';
import { cancelOrderUpdate, type OrderState } from '../workflows/messages.js';
import { getOrder } from './order-reads.js';
import { ProblemError } from './problem.js';

function notCancellable(orderId: string, why: string): ProblemError {
  return new ProblemError(409, 'order-not-cancellable', 'Order can no longer be cancelled', `Order ${orderId} can no longer be cancelled: ${why}`);
}

/**
 * Cancels through a Temporal Update: the workflow's validator refuses what is past the point of
 * no return, and an accepted cancel answers only after the compensations have run.
 */
export async function cancelOrder({ db, temporal }: { db: Database; temporal: Client }, orderId: string, reason?: string): Promise<OrderState> {
  const order = await getOrder(db, orderId);
  if (isFinal(order.status)) throw notCancellable(orderId, `it is ${order.status}`);
  try {
    return await temporal.workflow.getHandle(orderWorkflowId(orderId)).executeUpdate(cancelOrderUpdate, { args: [{ reason }] });
  } catch (error) {
    if (error instanceof WorkflowUpdateFailedError) throw notCancellable(orderId, error.cause?.message ?? error.message);
    if (error instanceof WorkflowNotFoundError) {
      const latest = await getOrder(db, orderId);
      throw notCancellable(orderId, `it is ${latest.status}`);
    }
    throw error;
  }
}
