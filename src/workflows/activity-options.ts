import { ActivityCancellationType, proxyActivities, proxyLocalActivities, type ActivityOptions, type LocalActivityOptions } from '@temporalio/workflow';
import type { OrderActivities } from '../activities/index.js';
import { NON_RETRYABLE_ERROR_TYPES } from '../domain/business-errors.js';
import { activitiesInGroup, localActivityNames, stepSpec, type OptionsGroup } from './saga-steps.js';
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

/**
 * The lean saga's local attempts, one budget for every local activity: attempts back off as the
 * durable ones do, business failures stop them at once, and when the budget is spent the workflow
 * runs the durable activity with its group's options (`order-workflow.ts`). The budget is short
 * because the workflow task is held open while a local activity runs, and an Update (a cancel)
 * waits for that task. A cancel waits for the running attempt to end: the release that follows
 * must not overtake a reservation still committing.
 */
/** Local attempts of one step before it runs as its durable activity. */
export const LOCAL_ATTEMPTS = 3;

export function localActivityOptions(t: SagaTimings): LocalActivityOptions {
  return {
    startToCloseTimeout: t.localAttemptsBudgetMs,
    scheduleToCloseTimeout: t.localAttemptsBudgetMs,
    retry: {
      initialInterval: t.retryInitialIntervalMs,
      backoffCoefficient: 2,
      maximumInterval: t.retryMaximumIntervalMs,
      // Counted by the worker itself: the attempt limit bounds the local retries even when the
      // schedule-to-close budget does not (a fault that fails fast kept one retrying here).
      maximumAttempts: LOCAL_ATTEMPTS,
      nonRetryableErrorTypes: NON_RETRYABLE_ERROR_TYPES,
    },
    cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
  };
}

/** The rows marked `runsLocally`, proxied as local activities; the other names are absent. */
export function localOrderActivities(t: SagaTimings): Partial<OrderActivities> {
  const proxies = proxyLocalActivities<OrderActivities>(localActivityOptions(t));
  // A Proxy with no own keys, as above: take each function out by name.
  return Object.fromEntries(localActivityNames().map((name) => [name, proxies[name]]));
}
