import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker, type WorkerOptions } from '@temporalio/worker';
import { inject } from 'vitest';
import { taskQueueFor, TASK_QUEUE_CONCERNS } from '../../src/domain/task-queues.js';
import { TEST_DATA_CONVERTER } from './payload-codec.js';

/** A task queue of the test's own, so workers of other test files never take its tasks. */
export const uniqueTaskQueue = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;

let runtimeInstalled = false;

/** Tests expect activity failures; only errors are worth printing. Once per test process. */
export function installQuietRuntime(): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  Runtime.install({ logger: new DefaultLogger('ERROR') });
}

/** A client as the API's: payloads encrypted with the test key. */
export async function connectTestClient(): Promise<Client> {
  const connection = await Connection.connect({ address: inject('temporalAddress') });
  return new Client({ connection, dataConverter: TEST_DATA_CONVERTER });
}

export interface TestWorker {
  /** The workers it runs, one per task queue: the orders queue's (with the workflow) first. */
  workers: Worker[];
  stop(): Promise<void>;
}

/**
 * Real workers on the run's dev server, with the run's prebuilt workflow bundle: one on the
 * orders queue `taskQueue`, with the workflow, and one on each queue named after it (payments,
 * notifications), so that every activity the saga schedules finds its worker. Each registers all
 * the activities given: a stub set need not know which queue runs what.
 */
export async function startTestWorker(taskQueue: string, activities: object, options: Partial<WorkerOptions> = {}): Promise<TestWorker> {
  installQuietRuntime();
  const connection = await NativeConnection.connect({ address: inject('temporalAddress') });
  const workers = await Promise.all(
    TASK_QUEUE_CONCERNS.map((concern) =>
      Worker.create({
        connection,
        taskQueue: taskQueueFor(concern, taskQueue),
        activities,
        ...(concern === 'orders' ? { workflowBundle: { codePath: inject('workflowBundlePath') } } : {}),
        dataConverter: TEST_DATA_CONVERTER,
        ...options,
      }),
    ),
  );
  return runTestWorkers(workers, connection);
}

/** Runs created workers until `stop()`, which drains them and closes their connection. */
export function runTestWorkers(workers: Worker[], connection: NativeConnection): TestWorker {
  const running = Promise.allSettled(workers.map((worker) => worker.run()));
  return {
    workers,
    async stop() {
      for (const worker of workers) if (worker.getState() === 'RUNNING') worker.shutdown();
      for (const outcome of await running) if (outcome.status === 'rejected') throw outcome.reason;
      await connection.close();
    },
  };
}
