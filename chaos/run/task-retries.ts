import type { Client } from '@temporalio/client';

export interface TaskRetries {
  /** Activity attempts beyond the first, summed over every order (the history keeps each activity's last attempt number). */
  activityRetries: number;
  /** Workflow tasks that timed out (a worker died holding them) or failed. */
  workflowTaskTimeouts: number;
  workflowTaskFailures: number;
}

/** Reads every order's history: what the fault made Temporal do again. */
export async function countTaskRetries(temporal: Client, workflowIds: readonly string[]): Promise<TaskRetries> {
  const total: TaskRetries = { activityRetries: 0, workflowTaskTimeouts: 0, workflowTaskFailures: 0 };
  for (let i = 0; i < workflowIds.length; i += 16) {
    await Promise.all(
      workflowIds.slice(i, i + 16).map(async (workflowId) => {
        const { events } = await temporal.workflow.getHandle(workflowId).fetchHistory();
        for (const event of events ?? []) {
          const attempt = event.activityTaskStartedEventAttributes?.attempt;
          if (attempt && attempt > 1) total.activityRetries += attempt - 1;
          if (event.workflowTaskTimedOutEventAttributes) total.workflowTaskTimeouts++;
          if (event.workflowTaskFailedEventAttributes) total.workflowTaskFailures++;
        }
      }),
    );
  }
  return total;
}
