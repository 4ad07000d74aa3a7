import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker, type WorkerOptions } from '@temporalio/worker';
import { inject } from 'vitest';
import { TEST_DATA_CONVERTER } from './payload-codec.js';

/** A task queue of the test's own, so workers of other test files never take its tasks. */
export const uniqueTaskQueue = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;

let runtimeInstalled = false;

/** Tests expect activity failures; only errors are worth printing. Once per test process. */
function installQuietRuntime(): void {
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
  worker: Worker;
  stop(): Promise<void>;
}

/** A real worker on the run's dev server, with the run's prebuilt workflow bundle. */
export async function startTestWorker(taskQueue: string, activities: object, options: Partial<WorkerOptions> = {}): Promise<TestWorker> {
  installQuietRuntime();
  const connection = await NativeConnection.connect({ address: inject('temporalAddress') });
  const worker = await Worker.create({
    connection,
    taskQueue,
    activities,
    workflowBundle: { codePath: inject('workflowBundlePath') },
    dataConverter: TEST_DATA_CONVERTER,
    ...options,
  });
  return runTestWorker(worker, connection);
}

/** Runs a created worker until `stop()`, which drains it and closes its connection. */
export function runTestWorker(worker: Worker, connection: NativeConnection): TestWorker {
  const running = worker.run();
  return {
    worker,
    async stop() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
      await connection.close();
    },
  };
}
