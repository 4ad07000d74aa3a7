import type { IdleLatencyResult } from '../phases/idle-latency.js';
import type { InFlightScalingResult } from '../phases/in-flight-scaling.js';
import type { MillionReadsResult } from '../phases/million-reads.js';
import { ms, num, times, type Table } from './table.js';

/** Phase 6: the round trip, then where its time went, step by step. */
export function idleLatencyTables(phase: IdleLatencyResult): Table[] {
  const { roundTripMs } = phase;
  return [
    {
      title: `Phase 6: one order on an idle stack, Prefer: wait (${phase.orders} orders one after the other, ${phase.historyEvents} history events each; foreign load ${num(phase.foreignCores, 2)} cores)`,
      headers: ['round trip (ms)', 'p50', 'p95', 'p99', 'max', 'mean'],
      rows: [['POST /orders → 200 (final order)', ms(roundTripMs.p50), ms(roundTripMs.p95), ms(roundTripMs.p99), ms(roundTripMs.max), ms(roundTripMs.mean)]],
    },
    {
      title: 'Phase 6: where one order’s round trip goes (from its history’s timestamps)',
      headers: ['step', 'p50 (ms)', 'mean (ms)', 'share of the mean'],
      rows: [
        ...phase.steps.map(({ step, ms: spent, share }) => [step, ms(spent.p50), ms(spent.mean), `${num(share * 100, 1)} %`]),
        ['round trip', ms(roundTripMs.p50), ms(roundTripMs.mean), '100 %'],
      ],
    },
  ];
}

/** Phase 7: one row per in-flight count. */
export function inFlightScalingTables(phase: InFlightScalingResult): Table[] {
  const first = phase.levels[0];
  return [
    {
      title: 'Phase 7: orders end to end against the orders in flight',
      headers: ['in flight', 'orders (measured)', 'completed/s', 'vs lowest', 'p50 (ms)', 'p99 (ms)', 'CPU/order (ms)', 'cores busy', 'foreign'],
      rows: phase.levels.map((level) => [
        num(level.inFlight),
        `${num(level.orders)} (${num(level.measured)})`,
        num(level.completedPerSecond, 1),
        first ? times(level.completedPerSecond / first.completedPerSecond) : '–',
        ms(level.toFinalStatusMs.p50),
        ms(level.toFinalStatusMs.p99),
        num(level.cpuMsPerOrder, 1),
        num(level.coresBusy, 2),
        num(level.foreignCores, 2),
      ]),
    },
  ];
}

/** Phase 8: each read at both sizes, and whether each plan kept off sequential scans. */
export function millionReadsTables(phase: MillionReadsResult): Table[] {
  const { small, large } = phase;
  const total = small.orders + large.orders;
  return [
    {
      title: `Phase 8: reads, ${num(small.orders)} orders (${num(small.customers)} customers) against ${num(total)} (${num(small.customers + large.customers)} customers); ${num(phase.requestsPerRead)} requests per read and size, 4 at a time`,
      headers: ['read', 'small p50', 'small p99', 'large p50', 'large p99', 'p99 large/small', 'target'],
      rows: phase.reads.map((read) => [
        read.read,
        ms(read.small.p50),
        ms(read.small.p99),
        ms(read.large.p50),
        ms(read.large.p99),
        times(read.p99Ratio),
        read.p99Ratio <= 1.5 ? '≤ 1.5× yes' : '≤ 1.5× NO',
      ]),
    },
    {
      title: 'Phase 8: the seed (COPY) and the plans',
      headers: ['figure', 'value'],
      rows: [
        ['seeded orders / items', `${num(total)} / ${num(small.items + large.items)}`],
        [
          'seed of the large part',
          `${num(large.ms / 1000, 1)} s: COPY of the orders ${num(large.ordersMs / 1000, 1)} s, of the items ${num(large.itemsMs / 1000, 1)} s, indexes and keys built after ${num(large.rebuildMs / 1000, 1)} s; then VACUUM (ANALYZE) and CHECKPOINT ${num(large.analyzeMs / 1000, 1)} s`,
        ],
        ...phase.plans
          .filter((entry) => entry.size === 'large')
          .map((entry) => [
            `plans of ${entry.read} (${entry.plans.length} statements)`,
            entry.plans.some((plan) => plan.seqScans.length > 0) ? `Seq Scan on ${entry.plans.flatMap((plan) => plan.seqScans).join(', ')}` : 'indexes only, no Seq Scan',
          ]),
      ],
    },
  ];
}
