import { freePort } from '../../devstack/free-port.js';
import { serveFloorApp } from '../floor-http/floor-app.js';
import { runHttpLoad, type HttpLoadResult } from '../load/http-load.js';
import { BENCH_ORDER_BODY } from '../load/place-order.js';
import { cpuBetween, cpuSnapshot, type CpuUse } from '../measure/processes.js';
import type { PhaseContext } from './phase-context.js';

export interface HttpPhaseResult {
  concurrency: number;
  load: HttpLoadResult;
  cpu: Record<string, CpuUse>;
}

/** Phase 1: a bare Hono route with the API's body handling, served from this process's main thread. */
export async function runHttpFloor({ settings, runId }: PhaseContext): Promise<HttpPhaseResult> {
  const server = await serveFloorApp(await freePort());
  try {
    const before = cpuSnapshot();
    const startedAt = Date.now();
    const load = await runHttpLoad({
      url: `${server.url}/orders`,
      body: BENCH_ORDER_BODY,
      idempotencyKeyPrefix: `${runId}-floor`,
      concurrency: settings.httpConcurrency,
      warmupMs: settings.httpWarmupMs,
      durationMs: settings.httpDurationMs,
      requestTimeoutMs: 10_000,
    });
    return { concurrency: settings.httpConcurrency, load, cpu: cpuBetween(before, cpuSnapshot(), Date.now() - startedAt) };
  } finally {
    await server.close();
  }
}
