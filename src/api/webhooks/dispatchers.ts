import { WorkflowIdConflictPolicy, WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { WebhookTimings } from '../../domain/webhook-timings.js';
import { replayWebhookEventsSignal, wakeWebhookDispatcherSignal, webhookDispatcherWorkflowId, webhookTaskQueue } from '../../workflows/webhook-messages.js';
import type { webhookDispatcherWorkflow } from '../../workflows/webhook-dispatcher.js';
import { ProblemError } from '../http/problem.js';

export interface DispatcherDeps {
  temporal: Client;
  /** The orders' task queue; dispatchers run on its `-webhooks` sibling. */
  taskQueue: string;
  timings?: Partial<WebhookTimings>;
}

const unavailable = (what: string) =>
  new ProblemError(503, 'temporal-unavailable', 'Webhook delivery temporarily unavailable', `${what} Retry.`, undefined, { 'retry-after': '1' });

/** Starts the endpoint's dispatcher from `after`, or leaves the one that runs: a second start is never a second dispatcher. */
export async function startDispatcher({ temporal, taskQueue, timings }: DispatcherDeps, endpointId: string, after: number): Promise<void> {
  try {
    await temporal.workflow.start<typeof webhookDispatcherWorkflow>('webhookDispatcherWorkflow', {
      workflowId: webhookDispatcherWorkflowId(endpointId),
      taskQueue: webhookTaskQueue(taskQueue),
      args: [{ endpointId, after, ...(timings ? { timings } : {}) }],
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
      staticSummary: `Webhook endpoint ${endpointId.slice(0, 8)}: deliveries`,
    });
  } catch (error) {
    throw Object.assign(unavailable('The endpoint is saved but its deliveries could not be started.'), { cause: error });
  }
}

/** Asks the running dispatcher to send again from `after`, starting one (from `after`) if none runs. */
export async function replayFrom(deps: DispatcherDeps, endpointId: string, after: number): Promise<void> {
  try {
    await deps.temporal.workflow.signalWithStart<typeof webhookDispatcherWorkflow, [{ after: number }]>('webhookDispatcherWorkflow', {
      workflowId: webhookDispatcherWorkflowId(endpointId),
      taskQueue: webhookTaskQueue(deps.taskQueue),
      args: [{ endpointId, after, ...(deps.timings ? { timings: deps.timings } : {}) }],
      signal: replayWebhookEventsSignal,
      signalArgs: [{ after }],
    });
  } catch (error) {
    throw Object.assign(unavailable('The replay could not be queued.'), { cause: error });
  }
}

/** A change to the endpoint is seen at the dispatcher's next read; this makes that read now. Best effort. */
export async function wakeDispatcher({ temporal }: DispatcherDeps, endpointId: string): Promise<void> {
  await temporal.workflow
    .getHandle(webhookDispatcherWorkflowId(endpointId))
    .signal(wakeWebhookDispatcherSignal)
    .catch(() => undefined);
}

/** A deleted endpoint's dispatcher would find that out at its next attempt, which may be an hour away: end it now. */
export async function stopDispatcher({ temporal }: DispatcherDeps, endpointId: string): Promise<void> {
  try {
    await temporal.workflow.getHandle(webhookDispatcherWorkflowId(endpointId)).terminate('webhook endpoint deleted');
  } catch (error) {
    if (!(error instanceof WorkflowNotFoundError)) throw error;
  }
}
