import { proxyActivities, type ActivityOptions } from '@temporalio/workflow';
import type { OrderActivities } from '../activities/index.js';
import { NON_RETRYABLE_ERROR_TYPES } from '../domain/business-errors.js';
import { activitiesInGroup, stepSpec, type OptionsGroup } from './saga-steps.js';
import { TASK_QUEUE_CONCERNS, taskQueueFor } from '../domain/task-queues.js';
import type { SagaTimings } from './timings.js';

/**
 * Retries are declared here, per group of activities, and nowhere else; which activity is in
 * which group is the step table's (`saga-steps.ts`).
 * Transient faults (network, 5xx, timeouts) back off exponentially; business failures
 * (out of stock, declined, invalid) are non-retryable types and fail at once.
 */
export function activityOptions(t: SagaTimings): Record<OptionsGroup, ActivityOptions> {
  const backoff = {
    initialInterval: t.retryInitialIntervalMs,
    backoffCoefficient: 2,
    maximumInterval: t.retryMaximumIntervalMs,
    nonRetryableErrorTypes: NON_RETRYABLE_ERROR_TYPES,
  };
  return {
    inventory: {
      startToCloseTimeout: t.stepAttemptTimeoutMs,
      scheduleToCloseTimeout: t.inventoryDeadlineMs,
      retry: backoff,
    },
    // The deadline covers every attempt: a gateway that stays down fails the order instead of holding stock forever.
    payment: {
      startToCloseTimeout: t.paymentAttemptTimeoutMs,
      scheduleToCloseTimeout: t.paymentDeadlineMs,
      retry: backoff,
    },
    // Compensations and bookkeeping must eventually happen: no attempt limit, no overall deadline.
    mustSucceed: {
      startToCloseTimeout: t.paymentAttemptTimeoutMs,
      retry: { initialInterval: t.retryInitialIntervalMs, backoffCoefficient: 2, maximumInterval: t.compensationMaximumIntervalMs },
    },
    notification: {
      startToCloseTimeout: t.stepAttemptTimeoutMs,
      scheduleToCloseTimeout: t.notificationWindowMs,
      retry: { initialInterval: t.retryInitialIntervalMs, backoffCoefficient: 2, maximumInterval: t.retryMaximumIntervalMs },
    },
  };
}

/**
 * Every activity of the saga, each proxied with the options of its group, on the task queue of its
 * row. Activities of the `orders` concern name no queue, and so run on the workflow's own, as
 * they always did; the others go to the queues named after it (`task-queues.ts`). With no orders
 * queue given, every activity runs on the workflow's queue (the benchmark's floor, one worker).
 */
export function orderActivities(t: SagaTimings, ordersQueue: string | undefined): OrderActivities {
  const options = activityOptions(t);
  const entries = (Object.keys(options) as OptionsGroup[]).flatMap((group) =>
    TASK_QUEUE_CONCERNS.flatMap((concern) => {
      const names = activitiesInGroup(group).filter((name) => stepSpec(name).queue === concern);
      if (names.length === 0) return [];
      const taskQueue = concern === 'orders' || ordersQueue === undefined ? undefined : taskQueueFor(concern, ordersQueue);
      const proxies = proxyActivities<OrderActivities>({ ...options[group], ...(taskQueue ? { taskQueue } : {}) });
      // proxyActivities returns a Proxy with no own keys: take each function out by name, never spread it.
      return names.map((name) => [name, proxies[name]] as const);
    }),
  );
  return Object.fromEntries(entries) as unknown as OrderActivities;
}
