import { orderWorkflowId } from '../../src/domain/order.js';
import { runClosedLoop } from '../load/closed-loop.js';
import { placeBenchOrder } from '../load/place-order.js';
import { countNotified, orderFacts } from '../measure/order-facts.js';
import { memory, resetPeakRss, sampleRss } from '../measure/processes.js';
import { distribution, ratePerSecond, type Distribution } from '../measure/stats.js';
import type { PhaseContext } from './phase-context.js';
import { runWorkflowPhase, type WorkflowPhaseResult } from './workflow-phase.js';

export interface OrdersPhaseResult extends WorkflowPhaseResult {
  /** POST /orders to the final status in the read model (orders.created_at → updated_at), on PostgreSQL's clock. */
  toFinalStatusMs: Distribution;
  /** POST /orders to the confirmation delivered (the saga's last step). */
  toNotifiedMs: Distribution;
  /** Orders that reached their final status per second, from the first acceptance to the last. */
  finalStatusPerSecond: number;
  worker: { cpuSeconds: number; cpuCores: number; rssBeforeMB: number; peakRssMB: number };
  inFlight: InFlightResult;
}

export interface InFlightResult {
  orders: number;
  /** The worker's RSS high-water mark while it worked through them, and its RSS before. */
  peakRssMB: number;
  rssBeforeMB: number;
  /** How fast the worker worked through the backlog, from its release to the last confirmation. */
  drainPerSecond: number;
  /** RSS samples, as two lists: ms since the release, and MB. */
  rssTimeline: { atMs: number[]; rssMB: number[] };
}

/**
 * Phase 4: orders over HTTP through every real part, `concurrency` in flight; then the memory check:
 * `inFlight` orders accepted while the worker is paused, released to it all at once.
 */
export async function runOrders(context: PhaseContext): Promise<OrdersPhaseResult> {
  const { bench, runId, settings, progress } = context;
  const apiUrl = bench.stack.urls.api;
  const rss = sampleRss(bench.workerPid);
  const phase = await runWorkflowPhase(context, 'orders end to end', bench.workerPid, async (index) => {
    const orderId = await placeBenchOrder(apiUrl, `${runId}-order-${index}`, bench.stack.secrets.adminToken);
    const workflowId = orderWorkflowId(orderId);
    return { workflowId, closed: bench.temporal.workflow.getHandle(workflowId).result() };
  });
  const rssSamples = rss.stop();
  const ids = phase.facts.map((fact) => fact.workflowId.replace(/^order-/, ''));
  const orders = await orderFacts(bench.database.db, ids);
  const unfinished = orders.filter((order) => order.status !== 'COMPLETED');
  if (orders.length !== ids.length || unfinished.length > 0) {
    throw new Error(`orders end to end: ${unfinished.length} of ${ids.length} orders did not complete (the benchmark expects the happy path)`);
  }
  const workerCpu = phase.cpu.worker ?? { seconds: Number.NaN, cores: Number.NaN };
  const firstAccepted = Math.min(...orders.map((order) => order.createdMs));
  const lastFinal = Math.max(...orders.map((order) => order.updatedMs));
  const inFlight = await runInFlight(context, settings.inFlight);
  progress(`in flight: ${inFlight.orders} orders released at once, worker peak RSS ${inFlight.peakRssMB.toFixed(0)} MB`);
  return {
    ...phase,
    toFinalStatusMs: distribution(orders.map((order) => order.updatedMs - order.createdMs)),
    toNotifiedMs: distribution(orders.map((order) => (order.notifiedMs ?? Number.NaN) - order.createdMs)),
    finalStatusPerSecond: ratePerSecond(orders.length, lastFinal - firstAccepted),
    worker: {
      cpuSeconds: workerCpu.seconds,
      cpuCores: workerCpu.cores,
      rssBeforeMB: rssSamples[0]?.rssMB ?? Number.NaN,
      peakRssMB: Math.max(...rssSamples.map((sample) => sample.rssMB)),
    },
    inFlight,
  };
}

async function runInFlight({ bench, runId, settings }: PhaseContext, count: number): Promise<InFlightResult> {
  bench.pauseWorker();
  let ids: string[];
  let rssBeforeMB: number;
  try {
    ids = await runClosedLoop({
      count,
      concurrency: 32,
      deadlineMs: settings.phaseTimeoutMs,
      what: 'placing the in-flight orders',
      task: (index) => placeBenchOrder(bench.stack.urls.api, `${runId}-inflight-${index}`, bench.stack.secrets.adminToken),
    });
    // While it is still paused, so that the peak that follows is the backlog's own.
    resetPeakRss(bench.workerPid);
    rssBeforeMB = memory(bench.workerPid)?.rssMB ?? Number.NaN;
  } finally {
    bench.resumeWorker();
  }
  const releasedAt = Date.now();
  const rss = sampleRss(bench.workerPid, 100);
  const giveUpAt = releasedAt + settings.phaseTimeoutMs;
  while ((await countNotified(bench.database.db, ids)) < count) {
    if (Date.now() > giveUpAt) throw new Error(`in flight: ${count} orders did not all finish within ${settings.phaseTimeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const samples = rss.stop();
  const facts = await orderFacts(bench.database.db, ids);
  const lastNotified = Math.max(...facts.map((order) => order.notifiedMs ?? 0));
  return {
    orders: count,
    peakRssMB: Math.max(memory(bench.workerPid)?.peakRssMB ?? 0, ...samples.map((sample) => sample.rssMB)),
    rssBeforeMB,
    drainPerSecond: ratePerSecond(count, lastNotified - releasedAt),
    rssTimeline: { atMs: samples.map((sample) => sample.atMs - releasedAt), rssMB: samples.map((sample) => Math.round(sample.rssMB)) },
  };
}
