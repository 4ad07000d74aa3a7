import { orderWorkflowId } from '../../src/domain/order.js';
import { placeBenchOrderAndWait } from '../load/place-order.js';
import { cpuBetween, cpuSnapshot } from '../measure/processes.js';
import { splitRoundTrip } from '../measure/round-trip-split.js';
import { distribution, type Distribution } from '../measure/stats.js';
import type { PhaseContext } from './phase-context.js';

export interface IdleStep {
  step: string;
  /** Milliseconds of one order's round trip spent in this step, over the orders measured. */
  ms: Distribution;
  /** The step's mean as a share of the mean round trip. */
  share: number;
}

export interface IdleLatencyResult {
  orders: number;
  /** POST /orders with `Prefer: wait` until its answer (200, the final order), on the bench's clock. */
  roundTripMs: Distribution;
  /** Where the time went, from each order's history; the steps' means add up to the round trip's mean. */
  steps: IdleStep[];
  historyEvents: number;
  /** Cores the rest of the machine kept busy meanwhile: an idle stack is not an idle machine. */
  foreignCores: number;
}

/** Long enough for any order on an idle stack; a longer one is a failure, not a figure. */
const WAIT_SECONDS = 30;
/** Not counted: the first orders pay for cold connections and the JIT. */
const WARM_UP = 3;

/**
 * Phase 6: one order at a time on an otherwise idle stack, each placed with `Prefer: wait`, so its
 * round trip is what a waiting customer sees; then each order's history says where the time went.
 */
export async function runIdleLatency(context: PhaseContext): Promise<IdleLatencyResult> {
  const { bench, runId, settings, progress } = context;
  const { api } = bench.stack.urls;
  const token = bench.stack.secrets.adminToken;
  for (let index = 0; index < WARM_UP; index++) {
    await placeBenchOrderAndWait(api, `${runId}-idle-warm-${index}`, token, WAIT_SECONDS);
  }
  progress(`idle latency: ${settings.idleOrders} orders one after the other, Prefer: wait=${WAIT_SECONDS}`);
  const giveUpAt = Date.now() + settings.phaseTimeoutMs;
  const placed = [];
  const before = cpuSnapshot();
  const startedAt = Date.now();
  for (let index = 0; index < settings.idleOrders; index++) {
    if (Date.now() > giveUpAt) throw new Error(`idle latency: gave up after ${settings.phaseTimeoutMs} ms with ${index} of ${settings.idleOrders} orders`);
    const order = await placeBenchOrderAndWait(api, `${runId}-idle-${index}`, token, WAIT_SECONDS);
    if (order.status !== 'COMPLETED') throw new Error(`idle latency: order ${order.id} answered ${order.status}, not COMPLETED`);
    placed.push(order);
  }
  const foreignCores = cpuBetween(before, cpuSnapshot(), Date.now() - startedAt).foreign?.cores ?? Number.NaN;
  const splits: Map<string, number>[] = [];
  let historyEvents = 0;
  for (const order of placed) {
    const history = await bench.temporal.workflow.getHandle(orderWorkflowId(order.id)).fetchHistory();
    historyEvents = history.events?.length ?? 0;
    splits.push(splitRoundTrip(history.events ?? [], order.sentMs, order.receivedMs));
  }
  const roundTripMs = distribution(placed.map((order) => order.receivedMs - order.sentMs));
  const labels = [...new Set(splits.flatMap((split) => [...split.keys()]))];
  const steps = labels.map((step) => {
    const ms = distribution(splits.map((split) => split.get(step) ?? 0));
    return { step, ms, share: ms.mean / roundTripMs.mean };
  });
  return { orders: placed.length, roundTripMs, steps, historyEvents, foreignCores };
}
