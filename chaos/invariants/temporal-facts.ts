import type { Client } from '@temporalio/client';
import { orderWorkflowId } from '../../src/domain/order.js';
import type { OrderState } from '../../src/workflows/messages.js';
import { OrderStatusAttribute } from '../../src/workflows/search-attributes.js';

/** What Temporal knows of one order's workflow execution (one run). */
export interface WorkflowRun {
  workflowId: string;
  runId: string;
  /** RUNNING, COMPLETED, FAILED, TERMINATED, CANCELLED, TIMED_OUT, CONTINUED_AS_NEW. */
  status: string;
  /** The `OrderStatus` search attribute as visibility has it. */
  orderStatus: string | undefined;
  /** The workflow's result, for a run that completed; decoded with the stack's payload codec. */
  result?: OrderState;
  /** Why a completed run's result could not be read (a payload codec that does not match, say). */
  resultError?: string;
}

const ORDER_WORKFLOW_PREFIX = orderWorkflowId('');

/** The order ID a workflow ID names, or undefined for a workflow that is not an order's. */
export const orderIdOfWorkflow = (workflowId: string): string | undefined =>
  workflowId.startsWith(ORDER_WORKFLOW_PREFIX) ? workflowId.slice(ORDER_WORKFLOW_PREFIX.length) : undefined;

async function inBatches<T>(items: readonly T[], size: number, each: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(each));
}

/**
 * Every order workflow run in visibility (of one task queue, if given), with the result of those that completed. The client must
 * carry the stack's data converter, or an encrypted result cannot be read (that is reported, not thrown).
 */
export async function orderWorkflowRuns(temporal: Client, { taskQueue }: { taskQueue?: string } = {}): Promise<WorkflowRun[]> {
  const runs: WorkflowRun[] = [];
  // A task queue narrows it to one stack's orders, where several share a server (the test suite's).
  const query = `WorkflowType = 'orderWorkflow'${taskQueue ? ` AND TaskQueue = '${taskQueue.replaceAll("'", '')}'` : ''}`;
  for await (const info of temporal.workflow.list({ query })) {
    if (!orderIdOfWorkflow(info.workflowId)) continue;
    runs.push({ workflowId: info.workflowId, runId: info.runId, status: info.status.name, orderStatus: info.typedSearchAttributes.get(OrderStatusAttribute) });
  }
  await inBatches(
    runs.filter((run) => run.status === 'COMPLETED'),
    16,
    async (run) => {
      try {
        run.result = (await temporal.workflow.getHandle(run.workflowId, run.runId).result()) as OrderState;
      } catch (error) {
        run.resultError = error instanceof Error ? error.message : String(error);
      }
    },
  );
  return runs;
}
