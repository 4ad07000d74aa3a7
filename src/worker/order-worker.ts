import { fileURLToPath } from 'node:url';
import { Worker, type NativeConnection, type WorkerDeploymentOptions, type WorkerOptions } from '@temporalio/worker';
import type { OrderActivities } from '../activities/index.js';
import { orderContextActivityInterceptors } from './activity-interceptors.js';
import type { WorkerTracing } from '../observability/tracing.js';

export const WORKFLOWS_PATH = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

/**
 * Interceptor modules bundled with the workflow code: every bundle (the worker's own, the tests'
 * prebuilt one, replay) must include them. They add no commands, so histories replay either way.
 */
export const WORKFLOW_INTERCEPTOR_MODULES = [fileURLToPath(new URL('../workflows/interceptors.ts', import.meta.url))];

export interface OrderWorkerSettings {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  activities: OrderActivities;
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

export function createOrderWorker(settings: OrderWorkerSettings): Promise<Worker> {
  const { tracing } = settings;
  return Worker.create({
    connection: settings.connection,
    namespace: settings.namespace,
    taskQueue: settings.taskQueue,
    activities: settings.activities,
    ...(settings.workflowBundle ? { workflowBundle: settings.workflowBundle } : { workflowsPath: WORKFLOWS_PATH }),
    interceptors: {
      // A prebuilt bundle carries its own workflow interceptor modules.
      ...(settings.workflowBundle ? {} : { workflowModules: [...WORKFLOW_INTERCEPTOR_MODULES, ...(tracing?.workflowModules ?? [])] }),
      activity: [orderContextActivityInterceptors, ...(tracing?.activityInterceptors ?? [])],
    },
    ...(tracing ? { sinks: tracing.sinks } : {}),
    ...(settings.dataConverter ? { dataConverter: settings.dataConverter } : {}),
    ...(settings.deployment ? { workerDeploymentOptions: settings.deployment } : {}),
    shutdownGraceTime: settings.shutdownGraceMs ?? 30_000,
    ...settings.tuning,
  });
}
