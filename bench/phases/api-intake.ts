import { runClosedLoop } from '../load/closed-loop.js';
import { runHttpLoad } from '../load/http-load.js';
import { BENCH_ORDER_BODY } from '../load/place-order.js';
import { cpuBetween, cpuSnapshot, type CpuUse } from '../measure/processes.js';
import { distribution, ratePerSecond, type Distribution } from '../measure/stats.js';
import { ORDER_WORKFLOW_TYPE } from '../../src/workflows/messages.js';
import type { HttpPhaseResult } from './http-floor.js';
import type { PhaseContext } from './phase-context.js';

export interface IntakePhaseResult extends HttpPhaseResult {
  /**
   * The start floor: bare `client.workflow.start` calls from this process at the same concurrency, to a
   * task queue nobody polls: what the API's one Temporal call can do at best on this machine.
   */
  startFloor: { starts: number; startsPerSecond: number; latencyMs: Distribution; cpu: Record<string, CpuUse> };
  /** Orders accepted during the phase whose workflows were then terminated unrun. */
  terminated: number;
  cleanupMs: number;
}

/**
 * Phase 2: POST /orders on the real API: validation, pricing, the idempotency record and the order
 * rows in one transaction, and the workflow start. The order worker is paused meanwhile, so the
 * API has the machine that the floor had; the orders it accepted are terminated afterwards, so
 * that they do not run into the next phases.
 */
export async function runApiIntake({ settings, bench, runId, progress }: PhaseContext): Promise<IntakePhaseResult> {
  bench.pauseWorker();
  try {
    const before = cpuSnapshot();
    const startedAt = Date.now();
    const load = await runHttpLoad({
      url: `${bench.stack.urls.api}/orders`,
      body: BENCH_ORDER_BODY,
      idempotencyKeyPrefix: `${runId}-intake`,
      token: bench.stack.secrets.adminToken,
      concurrency: settings.httpConcurrency,
      warmupMs: settings.httpWarmupMs,
      durationMs: settings.httpDurationMs,
      requestTimeoutMs: 10_000,
    });
    const cpu = cpuBetween(before, cpuSnapshot(), Date.now() - startedAt);
    const startFloor = await measureStartFloor({ settings, bench, runId, progress });
    const cleanupStarted = Date.now();
    progress(`terminating the orders the intake phase accepted`);
    const terminated = await terminateRunningOrders(bench.temporal, settings.phaseTimeoutMs);
    return { concurrency: settings.httpConcurrency, load, cpu, startFloor, terminated, cleanupMs: Date.now() - cleanupStarted };
  } finally {
    bench.resumeWorker();
  }
}

/** Starts only, for as long as the HTTP phases run; the workflows are never run (no worker polls their queue). */
async function measureStartFloor({ settings, bench, runId }: PhaseContext): Promise<IntakePhaseResult['startFloor']> {
  const latenciesMs: number[] = [];
  const before = cpuSnapshot();
  const startedAt = Date.now();
  const stopAt = startedAt + settings.httpDurationMs;
  let sequence = 0;
  const client = async () => {
    while (Date.now() < stopAt) {
      const sentAt = Date.now();
      await bench.temporal.workflow.start(START_FLOOR_WORKFLOW_TYPE, {
        taskQueue: `bench-unpolled-${runId}`,
        workflowId: `bench-start-${runId}-${sequence++}`,
        args: [],
      });
      latenciesMs.push(Date.now() - sentAt);
    }
  };
  await Promise.all(Array.from({ length: settings.httpConcurrency }, client));
  const wallMs = Date.now() - startedAt;
  return {
    starts: latenciesMs.length,
    startsPerSecond: ratePerSecond(latenciesMs.length, wallMs),
    latencyMs: distribution(latenciesMs),
    cpu: cpuBetween(before, cpuSnapshot(), wallMs),
  };
}

const START_FLOOR_WORKFLOW_TYPE = 'benchStartFloor';

/** Visibility trails the starts a little, so list and terminate until nothing is left running. */
async function terminateRunningOrders(temporal: PhaseContext['bench']['temporal'], deadlineMs: number): Promise<number> {
  const query = `WorkflowType = "${ORDER_WORKFLOW_TYPE}" AND ExecutionStatus = "Running"`;
  const giveUpAt = Date.now() + deadlineMs;
  let terminated = 0;
  let emptyLists = 0;
  while (emptyLists < 2) {
    if (Date.now() > giveUpAt) throw new Error(`Could not terminate the intake phase's orders within ${deadlineMs} ms`);
    const ids: string[] = [];
    for await (const execution of temporal.workflow.list({ query })) ids.push(execution.workflowId);
    if (ids.length === 0) {
      emptyLists++;
      await new Promise((resolve) => setTimeout(resolve, 500));
      continue;
    }
    emptyLists = 0;
    await runClosedLoop({
      count: ids.length,
      concurrency: 32,
      deadlineMs: Math.max(1000, giveUpAt - Date.now()),
      what: 'terminating intake orders',
      task: async (index) => {
        await temporal.workflow
          .getHandle(ids[index]!)
          .terminate('benchmark intake phase: accepted to measure the API, not to be run')
          .catch(() => {}); // it may have closed meanwhile
      },
    });
    terminated += ids.length;
  }
  return terminated;
}
