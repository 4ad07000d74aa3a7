import { Worker, type NativeConnection, type WorkerOptions } from '@temporalio/worker';
import type { WebhookActivities } from '../activities/webhooks/index.js';
import type { WorkerTracing } from '../observability/tracing.js';
import { webhookTaskQueue } from '../workflows/webhook-messages.js';
import { WORKFLOW_INTERCEPTOR_MODULES, WORKFLOWS_PATH, type OrderWorkers } from './order-worker.js';

export interface WebhookWorkerSettings {
  connection: NativeConnection;
  namespace?: string;
  /** The orders' task queue: this worker polls its `-webhooks` sibling. */
  taskQueue: string;
  activities: WebhookActivities;
  workflowBundle?: WorkerOptions['workflowBundle'];
  dataConverter?: WorkerOptions['dataConverter'];
  /** Deliveries in flight at once; each is bounded by the delivery timeout, so this bounds what a hanging receiver can hold. */
  maxConcurrentDeliveries?: number;
  shutdownGraceMs?: number;
  /** As the orders worker's: a bundle with the tracing interceptor needs its sinks. */
  tracing?: WorkerTracing;
}

/**
 * The webhook dispatchers' worker: the same workflow bundle, its own task queue and activity slots,
 * so that receivers which hang or fail never take a slot an order's activity is waiting for.
 */
export function createWebhookWorker(settings: WebhookWorkerSettings): Promise<Worker> {
  return Worker.create({
    connection: settings.connection,
    ...(settings.namespace ? { namespace: settings.namespace } : {}),
    taskQueue: webhookTaskQueue(settings.taskQueue),
    activities: settings.activities,
    ...(settings.workflowBundle
      ? { workflowBundle: settings.workflowBundle }
      : { workflowsPath: WORKFLOWS_PATH, interceptors: { workflowModules: [...WORKFLOW_INTERCEPTOR_MODULES, ...(settings.tracing?.workflowModules ?? [])] } }),
    ...(settings.tracing ? { sinks: settings.tracing.sinks } : {}),
    ...(settings.dataConverter ? { dataConverter: settings.dataConverter } : {}),
    maxConcurrentActivityTaskExecutions: settings.maxConcurrentDeliveries ?? 50,
    shutdownGraceTime: settings.shutdownGraceMs ?? 30_000,
  });
}

/**
 * Runs the saga's workers and the webhook worker of one process until all have stopped. If one stops
 * with an error, the rest are shut down and the error rethrown: a process never runs half its queues.
 */
export async function runWorkersTogether(orderWorkers: OrderWorkers | undefined, webhookWorker: Worker | undefined): Promise<void> {
  const shutdown = () => {
    orderWorkers?.shutdown();
    if (webhookWorker?.getState() === 'RUNNING') webhookWorker.shutdown();
  };
  const runs = [orderWorkers?.run(), webhookWorker?.run()].filter((run) => run !== undefined);
  try {
    await Promise.all(runs);
  } catch (error) {
    shutdown();
    await Promise.allSettled(runs);
    throw error;
  }
}
