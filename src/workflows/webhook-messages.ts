import { defineQuery, defineSignal } from '@temporalio/workflow';
import { taskQueueFor } from '../domain/task-queues.js';
import type { WebhookTimings } from '../domain/webhook-timings.js';

export interface WebhookDispatcherInput {
  endpointId: string;
  /** The feed position delivered up to: the dispatcher sends what comes after it. */
  after: number;
  timings?: Partial<WebhookTimings>;
}

export interface WebhookDispatcherState {
  endpointId: string;
  after: number;
  /** Events of the current batch still being delivered (or retried). */
  inFlight: number;
}

/** Sends again everything after `after` (a consumer that lost data), once the batch in flight is done. */
export const replayWebhookEventsSignal = defineSignal<[{ after: number }]>('replayWebhookEvents');
/** Looks for new events now rather than at the next poll (the endpoint was changed). */
export const wakeWebhookDispatcherSignal = defineSignal('wakeWebhookDispatcher');
export const webhookDispatcherStateQuery = defineQuery<WebhookDispatcherState>('webhookDispatcherState');

/** The dispatcher of one endpoint: one long-running workflow per endpoint, found by this ID. */
export const webhookDispatcherWorkflowId = (endpointId: string) => `webhook-endpoint-${endpointId}`;

/** Deliveries run on a task queue of their own, so a slow receiver never takes an activity slot an order needs. */
export const webhookTaskQueue = (orderTaskQueue: string) => taskQueueFor('webhooks', orderTaskQueue);
