import { ratio } from '../measure/stats.js';
import type { CpuUse } from '../measure/processes.js';
import type { BenchResults } from './bench-results.js';
import { ms, num, times, type Table } from './table.js';

export interface TargetCheck {
  figure: string;
  measured: string;
  floor: string;
  ratio: number;
  target: string;
  met: boolean;
}

/** CPU milliseconds the role spent per unit of work (request, workflow, order) over a phase. */
function cpuMsPer(cpu: Record<string, CpuUse>, role: string, units: number): number {
  return units > 0 ? ((cpu[role]?.seconds ?? 0) * 1000) / units : Number.NaN;
}

/**
 * Issue 15's targets for phases 1–4: each figure against its floor from the same run. Reported,
 * never asserted.
 */
export function checkTargets(results: BenchResults): TargetCheck[] {
  const { httpFloor, apiIntake, engineFloor, orders } = results;
  const checks: TargetCheck[] = [];
  if (engineFloor && orders) {
    const throughput = ratio(orders.completedPerSecond, engineFloor.completedPerSecond);
    checks.push({
      figure: 'End-to-end orders per second',
      measured: `${num(orders.completedPerSecond, 1)}/s`,
      floor: `${num(engineFloor.completedPerSecond, 1)}/s`,
      ratio: throughput,
      target: '≥ 1.0×',
      met: throughput >= 1.0,
    });
    const p99 = ratio(orders.toFinalStatusMs.p99, engineFloor.latencyMs.p99);
    checks.push({
      figure: 'End-to-end p99 latency (POST → final status)',
      measured: `${ms(orders.toFinalStatusMs.p99)} ms`,
      floor: `${ms(engineFloor.latencyMs.p99)} ms`,
      ratio: p99,
      target: '≤ 1.0×',
      met: p99 <= 1.0,
    });
    const events = ratio(orders.historyEvents.typical, engineFloor.historyEvents.typical);
    checks.push({
      figure: 'History events per happy-path order',
      measured: String(orders.historyEvents.typical),
      floor: String(engineFloor.historyEvents.typical),
      ratio: events,
      target: '≤ 1.0×',
      met: events <= 1.0,
    });
    // The floor's activities and its client run in the bench process; the orders' in the worker.
    const workerCpu = cpuMsPer(orders.cpu, 'worker', orders.count);
    const floorCpu = cpuMsPer(engineFloor.cpu, 'bench', engineFloor.count);
    const workerRatio = ratio(workerCpu, floorCpu);
    checks.push({
      figure: 'Worker CPU per order (floor: its worker and client together)',
      measured: `${num(workerCpu, 1)} ms`,
      floor: `${num(floorCpu, 1)} ms`,
      ratio: workerRatio,
      target: '≤ 1.0×',
      met: workerRatio <= 1.0,
    });
  }
  if (apiIntake) {
    const intake = ratio(apiIntake.load.okPerSecond, apiIntake.startFloor.startsPerSecond);
    checks.push({
      figure: 'API intake (POST /orders accepted per second) vs bare workflow starts',
      measured: `${num(apiIntake.load.okPerSecond)}/s`,
      floor: `${num(apiIntake.startFloor.startsPerSecond)}/s`,
      ratio: intake,
      target: '≥ 0.8×',
      met: intake >= 0.8,
    });
    // The CPU is read over the warm-up too, so it is divided by every request sent, as phase 2's table does (all 202 in a run).
    const apiCpu = cpuMsPer(apiIntake.cpu, 'api', apiIntake.load.allRequests);
    checks.push({
      figure: 'API CPU per order (POST /orders)',
      measured: `${num(apiCpu, 1)} ms`,
      floor: '–',
      ratio: Number.NaN,
      target: '≤ 1.5 ms',
      met: apiCpu <= 1.5,
    });
    if (httpFloor) {
      // Context, not a target: every order needs a workflow start, which a bare route does not.
      checks.push({
        figure: 'API intake vs a bare Hono route (context)',
        measured: `${num(apiIntake.load.okPerSecond)}/s`,
        floor: `${num(httpFloor.load.okPerSecond)}/s`,
        ratio: ratio(apiIntake.load.okPerSecond, httpFloor.load.okPerSecond),
        target: '–',
        met: true,
      });
    }
  }
  if (orders) {
    checks.push({
      figure: `Worker peak RSS, ${num(orders.inFlight.orders)} orders in flight`,
      measured: `${num(orders.inFlight.peakRssMB)} MB`,
      floor: '–',
      ratio: Number.NaN,
      target: '< 300 MB',
      met: orders.inFlight.peakRssMB < 300,
    });
  }
  return checks;
}

export function targetsTable(checks: TargetCheck[]): Table {
  return {
    title: 'Targets (ratios to the floors of this run)',
    headers: ['figure', 'measured', 'floor', 'ratio', 'target', 'met'],
    rows: checks.map((check) => [check.figure, check.measured, check.floor, times(check.ratio), check.target, check.target === '–' ? '–' : check.met ? 'yes' : 'NO']),
  };
}
