import { Connection } from '@temporalio/client';
import { waitFor } from './wait-for.js';

/** The stack's own services, started in this order once Temporal and PostgreSQL are up. */
export const STACK_SERVICES = [
  { name: 'payments', entry: 'simulators/payment-gateway/main.ts' },
  { name: 'worker', entry: 'src/worker/main.ts' },
  { name: 'api', entry: 'src/api/main.ts' },
] as const;

export async function answers200(url: string): Promise<true> {
  const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
  if (response.status !== 200) throw new Error(`${url} answered ${response.status}: ${(await response.text()).slice(0, 200)}`);
  return true;
}

/**
 * The worker counts as ready once it polls its task queue, so the first order is picked up at once.
 * With a pid, only that process's poller counts (the SDK's default identity is `pid@host`): a killed
 * worker's poller stays listed for a while.
 */
export async function waitForWorkerPolling(address: string, taskQueue: string, timeoutMs: number, pid?: number): Promise<void> {
  const connection = await Connection.connect({ address });
  try {
    await waitFor(
      `a worker polling task queue "${taskQueue}"`,
      async () => {
        const { pollers } = await connection.workflowService.describeTaskQueue({
          namespace: 'default',
          taskQueue: { name: taskQueue, kind: 1 /* NORMAL */ },
          taskQueueType: 1 /* WORKFLOW */,
        });
        return pollers.some((poller) => pid === undefined || poller.identity?.startsWith(`${pid}@`)) ? true : undefined;
      },
      { timeoutMs, intervalMs: 250 },
    );
  } finally {
    await connection.close();
  }
}
