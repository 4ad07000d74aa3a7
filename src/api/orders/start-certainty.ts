import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import { orderWorkflowId } from '../../domain/order.js';
import { GrpcStatus, grpcStatusOf, withinDeadline } from './temporal-deadlines.js';

/** What is known about an order's workflow after its start call threw. */
export type StartCertainty = 'started' | 'not-started' | 'unknown';

/**
 * Answers the server sends only after refusing a request outright: the start was checked and
 * nothing was created. Anything else (UNAVAILABLE, a deadline, a dropped connection, an error in
 * the middle of update-with-start, which starts the workflow before it waits) may have started it.
 */
const REFUSED_BEFORE_START = new Set<number>([GrpcStatus.INVALID_ARGUMENT, GrpcStatus.PERMISSION_DENIED, GrpcStatus.UNAUTHENTICATED]);

/**
 * Finds out whether a start that threw did start the order's workflow: a refusal is certain;
 * otherwise the workflow is described, and only NOT_FOUND proves that it did not start. When even
 * the describe fails, nobody knows yet, and the row must stay for the reconciler to settle.
 */
export async function whetherOrderWorkflowStarted(temporal: Client, orderId: string, startError: unknown, describeMs: number): Promise<StartCertainty> {
  const code = grpcStatusOf(startError);
  if (code !== undefined && REFUSED_BEFORE_START.has(code)) return 'not-started';
  try {
    await withinDeadline(temporal, describeMs, () => temporal.workflow.getHandle(orderWorkflowId(orderId)).describe());
    return 'started';
  } catch (error) {
    return error instanceof WorkflowNotFoundError ? 'not-started' : 'unknown';
  }
}
