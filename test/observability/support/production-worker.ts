import { NativeConnection } from '@temporalio/worker';
import { inject } from 'vitest';
import type { OrderActivities } from '../../../src/activities/index.js';
import { createOrderWorkers, type OrderWorkerSettings } from '../../../src/worker/order-worker.js';
import { TEST_DATA_CONVERTER } from '../../support/payload-codec.js';
import { runTestWorkers, type TestWorker } from '../../support/temporal.js';

/**
 * The workers exactly as `src/worker/main.ts` builds them (every task queue, their interceptors included), by default on
 * the run's prebuilt bundle. For test files that install the process's Runtime themselves, before
 * any connection: its logger and its SDK metrics exporter are then the production ones.
 */
export function productionWorker(overrides: Pick<OrderWorkerSettings, 'tracing' | 'workflowBundle'> = {}) {
  return async (taskQueue: string, activities: OrderActivities): Promise<TestWorker> => {
    const connection = await NativeConnection.connect({ address: inject('temporalAddress') });
    const { workers } = await createOrderWorkers({
      connection,
      namespace: 'default',
      taskQueue,
      activities,
      workflowBundle: { codePath: inject('workflowBundlePath') },
      shutdownGraceMs: 5_000,
      dataConverter: TEST_DATA_CONVERTER,
      ...overrides,
    });
    return runTestWorkers(workers, connection);
  };
}
