import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, NativeConnection, Worker } from '@temporalio/worker';
import type { DataConverter } from '@temporalio/common';
import { floorActivities } from './floor-activities.js';

const FLOOR_WORKFLOWS_PATH = fileURLToPath(new URL('./floor-workflow.ts', import.meta.url));

const quietBundlerLogger = { log() {}, trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error };

export interface FloorWorker {
  taskQueue: string;
  /** Stops polling and waits for the worker to finish. */
  stop(): Promise<void>;
}

/**
 * A worker for the floor workflow, in the bench process, on a task queue of its own on the stack's
 * dev server. It takes the SDK's default options, as the order worker does.
 */
export async function startFloorWorker({
  address,
  taskQueue,
  dataConverter,
}: {
  address: string;
  taskQueue: string;
  dataConverter?: DataConverter;
}): Promise<FloorWorker> {
  const bundle = await bundleWorkflowCode({ workflowsPath: FLOOR_WORKFLOWS_PATH, logger: quietBundlerLogger });
  const connection = await NativeConnection.connect({ address });
  const worker = await Worker.create({ connection, taskQueue, workflowBundle: bundle, activities: floorActivities, dataConverter });
  const running = worker.run();
  return {
    taskQueue,
    async stop() {
      worker.shutdown();
      await running;
      await connection.close();
    },
  };
}
