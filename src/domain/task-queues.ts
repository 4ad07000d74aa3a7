/**
 * The order saga's work is split over task queues by concern, so that a slow payment provider
 * fills only the `payments` queue's slots and cannot starve the database work of other orders:
 * - `orders`: the workflow itself, and the activities that write PostgreSQL;
 * - `payments`: the calls to the payment gateway, with their own concurrency limit;
 * - `notifications`: telling the customer.
 *
 * The other queues are named after the orders queue the workflow runs on (TEMPORAL_TASK_QUEUE),
 * so that two deployments, or two test files, on one namespace never take each other's tasks:
 * `orders` gives `payments` and `notifications`; `shop-orders` gives `shop-payments`; any other
 * name `q` gives `q-payments`.
 *
 * The workflow, the worker and the configuration import it: it must stay free of I/O and Node APIs.
 */
export const TASK_QUEUE_CONCERNS = ['orders', 'payments', 'notifications'] as const;

export type TaskQueueConcern = (typeof TASK_QUEUE_CONCERNS)[number];

/**
 * What a worker process can serve (WORKER_TASK_QUEUES): the saga's queues, and `webhooks`, where
 * the webhook dispatchers and their deliveries run. Deliveries are outside the saga: a receiver
 * that hangs holds only that queue's slots, and they scale apart from the orders.
 */
export const WORKER_CONCERNS = [...TASK_QUEUE_CONCERNS, 'webhooks'] as const;

export type WorkerConcern = (typeof WORKER_CONCERNS)[number];

export const isSagaConcern = (concern: WorkerConcern): concern is TaskQueueConcern => concern !== 'webhooks';

/** The task queue that serves one concern, for the deployment whose orders queue is `ordersQueue`. */
export function taskQueueFor(concern: WorkerConcern, ordersQueue: string): string {
  if (concern === 'orders') return ordersQueue;
  if (ordersQueue.endsWith('orders')) return `${ordersQueue.slice(0, -'orders'.length)}${concern}`;
  return `${ordersQueue}-${concern}`;
}

/**
 * A slow payment provider holds at most this many activity slots of a worker process, whatever
 * the other queues do: the `payments` queue has a worker of its own, with its own limit.
 */
export const DEFAULT_PAYMENTS_CONCURRENCY = 50;

/** Every queue of a deployment, by concern: what a worker that serves them all polls. */
export function taskQueuesOf(ordersQueue: string): Record<TaskQueueConcern, string> {
  return Object.fromEntries(TASK_QUEUE_CONCERNS.map((concern) => [concern, taskQueueFor(concern, ordersQueue)])) as Record<TaskQueueConcern, string>;
}
