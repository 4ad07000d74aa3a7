import type { CpuUse } from '../measure/processes.js';
import { ROLES } from '../measure/processes.js';
import type { Distribution } from '../measure/stats.js';
import { ratio } from '../measure/stats.js';
import type { HttpPhaseResult } from '../phases/http-floor.js';
import type { IntakePhaseResult } from '../phases/api-intake.js';
import type { OrdersPhaseResult } from '../phases/orders.js';
import type { SoakResult } from '../phases/soak.js';
import type { WorkflowPhaseResult } from '../phases/workflow-phase.js';
import { ms, num, times, type Table } from './table.js';

const latencyRow = (label: string, d: Distribution, floor?: Distribution): string[] => [
  label,
  ms(d.p50),
  ms(d.p95),
  ms(d.p99),
  ms(d.max),
  floor ? times(ratio(d.p99, floor.p99)) : '',
];
const LATENCY_HEADERS = ['latency (ms)', 'p50', 'p95', 'p99', 'max', 'p99 vs floor'];

/** Which process spent the CPU: the first place to look for a bottleneck. */
export function cpuText(cpu: Record<string, CpuUse>): string {
  return ROLES.filter((role) => cpu[role] && cpu[role].seconds > 0.05)
    .map((role) => `${role} ${num(cpu[role]!.cores, 2)}`)
    .join(', ');
}

/**
 * CPU milliseconds per unit of work, by process: unlike throughput, this hardly moves when a
 * neighbour takes the machine, so it is the figure to compare between runs. Foreign time is left out.
 */
export function cpuPerUnitText(cpu: Record<string, CpuUse>, units: number): string {
  const ours = ROLES.filter((role) => role !== 'foreign' && cpu[role] && cpu[role].seconds > 0.05);
  const total = ours.reduce((sum, role) => sum + cpu[role]!.seconds, 0);
  return [...ours.map((role) => `${role} ${num((cpu[role]!.seconds * 1000) / units, 1)}`), `total ${num((total * 1000) / units, 1)}`].join(', ');
}

export function httpTables(title: string, phase: HttpPhaseResult, floor?: HttpPhaseResult): Table[] {
  const statuses = Object.entries(phase.load.statuses)
    .map(([status, count]) => `${status}: ${count}`)
    .join(', ');
  const rows = [
    ['connections', String(phase.concurrency)],
    ['requests measured', num(phase.load.requests)],
    ['answers', statuses],
    ['2xx per second', num(phase.load.okPerSecond)],
    ...(floor ? [['vs HTTP floor', times(ratio(phase.load.okPerSecond, floor.load.okPerSecond))]] : []),
    ['CPU (cores busy)', cpuText(phase.cpu)],
    ['CPU per request (ms)', cpuPerUnitText(phase.cpu, phase.load.allRequests)],
    ...('startFloor' in phase ? intakeRows(phase as IntakePhaseResult) : []),
  ];
  return [
    { title, headers: ['figure', 'value'], rows },
    { title: `${title}: request latency`, headers: LATENCY_HEADERS, rows: [latencyRow('request', phase.load.latencyMs, floor?.load.latencyMs)] },
  ];
}

function intakeRows({ startFloor, load, terminated, cleanupMs }: IntakePhaseResult): string[][] {
  return [
    ['start floor (bare workflow starts)', `${num(startFloor.startsPerSecond)}/s, p50 ${ms(startFloor.latencyMs.p50)} ms; CPU ${cpuText(startFloor.cpu)}`],
    ['vs start floor', times(ratio(load.okPerSecond, startFloor.startsPerSecond))],
    ['orders terminated after', `${num(terminated)} in ${num(cleanupMs / 1000, 1)} s`],
  ];
}

export function workflowTables(title: string, phase: WorkflowPhaseResult, floor?: WorkflowPhaseResult): Table[] {
  const orders = 'toFinalStatusMs' in phase ? (phase as OrdersPhaseResult) : undefined;
  const rows = [
    ['workflows', `${num(phase.count)} (${phase.concurrency} in flight)`],
    ['completed per second', num(phase.completedPerSecond, 1) + (floor ? `  (${times(ratio(phase.completedPerSecond, floor.completedPerSecond))} floor)` : '')],
    ...(orders ? [['final status per second', num(orders.finalStatusPerSecond, 1)]] : []),
    ['history events', `${phase.historyEvents.typical}${floor ? `  (${times(ratio(phase.historyEvents.typical, floor.historyEvents.typical))} floor)` : ''}`],
    [
      'history lengths seen',
      Object.entries(phase.historyEvents.lengths)
        .map(([length, count]) => `${length}: ${count}`)
        .join(', '),
    ],
    ['CPU (cores busy)', cpuText(phase.cpu)],
    ['CPU per workflow (ms)', cpuPerUnitText(phase.cpu, phase.count)],
    [
      orders ? 'worker threads (CPU s)' : 'bench process threads (CPU s)',
      Object.entries(phase.workerThreads)
        .map(([name, seconds]) => `${name} ${num(seconds, 1)}`)
        .join(', '),
    ],
    ...(orders
      ? [
          [
            'worker CPU',
            `${num(orders.worker.cpuSeconds, 1)} s (${num(orders.worker.cpuCores, 2)} cores, ${num((orders.worker.cpuSeconds * 1000) / phase.count, 1)} ms per order)`,
          ],
          ['worker RSS', `${num(orders.worker.rssBeforeMB)} MB before the phase, peak ${num(orders.worker.peakRssMB)} MB`],
          [
            'in flight at once',
            `${num(orders.inFlight.orders)}: peak RSS ${num(orders.inFlight.peakRssMB)} MB (from ${num(orders.inFlight.rssBeforeMB)}), drained at ${num(orders.inFlight.drainPerSecond, 1)}/s`,
          ],
        ]
      : []),
  ];
  const latencies = [
    latencyRow('start → close (server)', phase.latencyMs, floor?.latencyMs),
    ...(orders
      ? [latencyRow('POST → final status (db)', orders.toFinalStatusMs, floor?.latencyMs), latencyRow('POST → notified (db)', orders.toNotifiedMs, floor?.latencyMs)]
      : []),
    latencyRow('client round trip', phase.clientLatencyMs, floor?.clientLatencyMs),
  ];
  const { byType, details } = phase.historyEvents.breakdown;
  const events = Object.entries(byType).map(([type, count]) => [
    type,
    String(count),
    Object.entries(details[type] ?? {})
      .map(([what, times]) => (times > 1 ? `${what} ×${times}` : what))
      .join(', '),
  ]);
  return [
    { title, headers: ['figure', 'value'], rows },
    { title: `${title}: latency`, headers: LATENCY_HEADERS, rows: latencies },
    { title: `${title}: history of ${phase.historyEvents.breakdown.workflowId}`, headers: ['event type', 'count', 'of what'], rows: events },
  ];
}

export function soakTables(soak: SoakResult): Table[] {
  return [
    {
      title: `Soak: ${num(soak.ratePerSecond)} orders/s for ${num(soak.durationMs / 60_000, 1)} min`,
      headers: ['minute', 'orders', 'p50 ms', 'p99 ms', 'worker RSS MB (mean)', 'max'],
      rows: soak.minutes.map((m) => [String(m.minute + 1), num(m.orders), ms(m.latencyMs.p50), ms(m.latencyMs.p99), num(m.rssMeanMB), num(m.rssMaxMB)]),
    },
    {
      title: 'Soak: drift',
      headers: ['figure', 'value'],
      rows: [
        [
          'orders placed / completed',
          `${num(soak.placed)} / ${num(soak.completed)}${soak.skipped > 0 ? ` (${num(soak.skipped)} ticks skipped: too many still being placed)` : ''}`,
        ],
        ['p99 last minute vs first', times(soak.p99Drift)],
        ['worker RSS growth, first → last minute', `${num(soak.rssGrowthMB, 1)} MB`],
        ['worker RSS trend over the second half', `${num(soak.rssSlopeMBPerMinute, 2)} MB/min`],
      ],
    },
  ];
}
