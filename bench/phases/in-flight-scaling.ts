import { orderWorkflowId } from '../../src/domain/order.js';
import { runClosedLoop } from '../load/closed-loop.js';
import { placeBenchOrder } from '../load/place-order.js';
import { orderFacts } from '../measure/order-facts.js';
import { cpuBetween, cpuSnapshot } from '../measure/processes.js';
import { distribution, ratePerSecond, type Distribution } from '../measure/stats.js';
import type { PhaseContext } from './phase-context.js';

export interface InFlightLevel {
  inFlight: number;
  /** Orders placed at this level; the measured ones are those that lived in a full loop (below). */
  orders: number;
  measured: number;
  /** Orders that reached their final status per second while `inFlight` were in flight. */
  completedPerSecond: number;
  /** POST → final status (orders.created_at → updated_at, PostgreSQL's clock) of the measured orders. */
  toFinalStatusMs: Distribution;
  /** Cores busy over the level, all the bench's processes together, and the machine's other load. */
  coresBusy: number;
  foreignCores: number;
  /** CPU of all the bench's processes over the level, per order placed. */
  cpuMsPerOrder: number;
}

export interface InFlightScalingResult {
  levels: InFlightLevel[];
  /** The level that could not finish, and why: the levels before it are kept, the run fails. */
  failure?: { inFlight: number; error: string };
}

/**
 * Phase 7: the phase-4 loop (POST /orders, then the workflow's result) at each in-flight count
 * in turn. A closed loop of C starts with a burst of C and ends with a drain: only the window in
 * between has C in flight. So each level places `rounds × C` orders (rounds ≥ 3, at least `minOrders`), and
 * measures the orders placed after the first C and before the last C (each placed when an
 * earlier one finished, and finished while later ones were still being placed), and the
 * completions between the first measured order's acceptance and the last order's.
 */
export async function runInFlightScaling(context: PhaseContext): Promise<InFlightScalingResult> {
  const { bench, runId, settings, progress } = context;
  const levels: InFlightLevel[] = [];
  for (const inFlight of settings.inFlightLevels) {
    // Three rounds at least: the burst, the measured round, the drain.
    const count = Math.max(settings.scalingMinOrders, Math.ceil(Math.max(3, settings.scalingRounds) * inFlight));
    progress(`in-flight scaling: ${inFlight} in flight, ${count} orders`);
    const before = cpuSnapshot();
    const startedAt = Date.now();
    let ids: string[];
    try {
      ids = await runClosedLoop({
        count,
        concurrency: inFlight,
        // A thousand in flight take minutes on two cores: the deadline grows with the orders placed.
        deadlineMs: Math.max(settings.phaseTimeoutMs, count * 400),
        what: `in-flight scaling at ${inFlight}`,
        task: async (index) => {
          const orderId = await placeBenchOrder(bench.stack.urls.api, `${runId}-scaling-${inFlight}-${index}`, bench.stack.secrets.adminToken);
          await bench.temporal.workflow.getHandle(orderWorkflowId(orderId)).result();
          return orderId;
        },
      });
    } catch (error) {
      return { levels, failure: { inFlight, error: error instanceof Error ? error.message : String(error) } };
    }
    const cpu = cpuBetween(before, cpuSnapshot(), Date.now() - startedAt);
    const ours = Object.entries(cpu)
      .filter(([role]) => role !== 'foreign')
      .map(([, use]) => use);
    const facts = await orderFacts(bench.database.db, ids);
    const byId = new Map(facts.map((fact) => [fact.id, fact]));
    const inOrder = ids.map((id) => byId.get(id)!);
    const unfinished = inOrder.filter((order) => order?.status !== 'COMPLETED');
    if (unfinished.length > 0) throw new Error(`in-flight scaling at ${inFlight}: ${unfinished.length} of ${count} orders did not complete`);
    const from = inFlight;
    const to = count - inFlight;
    const measured = inOrder.slice(from, to);
    const windowStart = inOrder[from]!.createdMs;
    const windowEnd = inOrder[count - 1]!.createdMs;
    const completions = inOrder.filter((order) => order.updatedMs >= windowStart && order.updatedMs <= windowEnd).length;
    levels.push({
      inFlight,
      orders: count,
      measured: measured.length,
      completedPerSecond: ratePerSecond(completions, windowEnd - windowStart),
      toFinalStatusMs: distribution(measured.map((order) => order.updatedMs - order.createdMs)),
      coresBusy: ours.reduce((sum, use) => sum + use.cores, 0),
      foreignCores: cpu.foreign?.cores ?? Number.NaN,
      cpuMsPerOrder: (ours.reduce((sum, use) => sum + use.seconds, 0) * 1000) / count,
    });
  }
  return { levels };
}
