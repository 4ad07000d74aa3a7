import { fileURLToPath } from 'node:url';
import { Worker, type NativeConnection, type WorkerDeploymentOptions, type WorkerOptions } from '@temporalio/worker';
import type { OrderActivities } from '../activities/index.js';
import { orderContextActivityInterceptors } from './activity-interceptors.js';
import type { WorkerTracing } from '../observability/tracing.js';
import { activitiesOnQueue } from '../workflows/saga-steps.js';
import { DEFAULT_PAYMENTS_CONCURRENCY, TASK_QUEUE_CONCERNS, taskQueueFor, type TaskQueueConcern } from '../domain/task-queues.js';

export const WORKFLOWS_PATH = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

/**
 * Interceptor modules bundled with the workflow code: every bundle (the worker's own, the tests'
 * prebuilt one, replay) must include them. They add no commands, so histories replay either way.
 */
export const WORKFLOW_INTERCEPTOR_MODULES = [fileURLToPath(new URL('../workflows/interceptors.ts', import.meta.url))];

export interface OrderWorkerSettings {
  connection: NativeConnection;
  namespace: string;
  /** The orders queue (TEMPORAL_TASK_QUEUE); the payments and notifications queues are named after it. */
  taskQueue: string;
  activities: OrderActivities;
  /** The task queues this process serves (WORKER_TASK_QUEUES); all three when absent. */
  concerns?: readonly TaskQueueConcern[];
  /** The `payments` worker's limit on concurrent gateway calls. */
  paymentsConcurrency?: number;
  /**
   * A prebuilt bundle (tests build one per run, with WORKFLOW_INTERCEPTOR_MODULES); the worker
   * bundles `src/workflows` and the interceptor modules itself when absent.
   */
  workflowBundle?: WorkerOptions['workflowBundle'];
  /** How long in-flight activities may run on after shutdown begins. */
  shutdownGraceMs?: number;
  tuning?: Pick<WorkerOptions, 'maxConcurrentActivityTaskExecutions' | 'maxConcurrentWorkflowTaskExecutions' | 'maxCachedWorkflows'>;
  /** The payload codec (encryption); the same on every client and worker of a namespace. */
  dataConverter?: WorkerOptions['dataConverter'];
  /** Present when OTEL_EXPORTER_OTLP_ENDPOINT is set. A prebuilt bundle must already hold its workflow modules. */
  tracing?: WorkerTracing;
  /** Its Worker Deployment version (worker-deployment.ts); unversioned when absent. */
  deployment?: WorkerDeploymentOptions;
}

/** One SDK worker per task queue served, run and stopped together. */
export interface OrderWorkers {
  /** The queues polled, by concern. */
  queues: Partial<Record<TaskQueueConcern, string>>;
  workers: Worker[];
  /** Runs every worker until all have stopped; if one fails, the others are shut down and its error rethrown. */
  run(): Promise<void>;
  /** Begins a graceful shutdown of every worker still running (the SDK also does this on SIGINT/SIGTERM). */
  shutdown(): void;
}

function activitiesOf(concern: TaskQueueConcern, all: OrderActivities): Partial<OrderActivities> {
  return Object.fromEntries(activitiesOnQueue(concern).map((name) => [name, all[name]]));
}

function createQueueWorker(concern: TaskQueueConcern, settings: OrderWorkerSettings): Promise<Worker> {
  const { tracing } = settings;
  const runsWorkflows = concern === 'orders';
  const workflows = runsWorkflows
    ? {
        ...(settings.workflowBundle ? { workflowBundle: settings.workflowBundle } : { workflowsPath: WORKFLOWS_PATH }),
        ...(tracing ? { sinks: tracing.sinks } : {}),
      }
    : {};
  return Worker.create({
    connection: settings.connection,
    namespace: settings.namespace,
    taskQueue: taskQueueFor(concern, settings.taskQueue),
    activities: activitiesOf(concern, settings.activities),
    ...workflows,
    interceptors: {
      // A prebuilt bundle carries its own workflow interceptor modules.
      ...(runsWorkflows && !settings.workflowBundle ? { workflowModules: [...WORKFLOW_INTERCEPTOR_MODULES, ...(tracing?.workflowModules ?? [])] } : {}),
      activity: [orderContextActivityInterceptors, ...(tracing?.activityInterceptors ?? [])],
    },
    ...(settings.dataConverter ? { dataConverter: settings.dataConverter } : {}),
    ...(settings.deployment ? { workerDeploymentOptions: settings.deployment } : {}),
    shutdownGraceTime: settings.shutdownGraceMs ?? 30_000,
    ...settings.tuning,
    ...(concern === 'payments' ? { maxConcurrentActivityTaskExecutions: settings.paymentsConcurrency ?? DEFAULT_PAYMENTS_CONCURRENCY } : {}),
  });
}

/** The order saga's workers: the orders queue's (the workflow and database work), and the payments and notifications queues'. */
export async function createOrderWorkers(settings: OrderWorkerSettings): Promise<OrderWorkers> {
  const concerns = TASK_QUEUE_CONCERNS.filter((concern) => (settings.concerns ?? TASK_QUEUE_CONCERNS).includes(concern));
  if (concerns.length === 0) throw new Error('A worker must serve at least one task queue');
  const workers = await Promise.all(concerns.map((concern) => createQueueWorker(concern, settings)));
  const queues = Object.fromEntries(concerns.map((concern) => [concern, taskQueueFor(concern, settings.taskQueue)]));
  const shutdown = () => {
    for (const worker of workers) if (worker.getState() === 'RUNNING') worker.shutdown();
  };
  return {
    queues,
    workers,
    shutdown,
    async run() {
      const runs = workers.map((worker) => worker.run());
      try {
        await Promise.all(runs);
      } catch (error) {
        shutdown();
        await Promise.allSettled(runs);
        throw error;
      }
    },
  };
}
