import { ratio } from '../measure/stats.js';
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

/** The targets: each figure against its floor from the same run. Reported, never asserted. */
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
      target: '≥ 0.8×',
      met: throughput >= 0.8,
    });
    const p99 = ratio(orders.toFinalStatusMs.p99, engineFloor.latencyMs.p99);
    checks.push({
      figure: 'End-to-end p99 latency (POST → final status)',
      measured: `${ms(orders.toFinalStatusMs.p99)} ms`,
      floor: `${ms(engineFloor.latencyMs.p99)} ms`,
      ratio: p99,
      target: '≤ 1.5×',
      met: p99 <= 1.5,
    });
    const events = ratio(orders.historyEvents.typical, engineFloor.historyEvents.typical);
    checks.push({
      figure: 'History events per happy-path order',
      measured: String(orders.historyEvents.typical),
      floor: String(engineFloor.historyEvents.typical),
      ratio: events,
      target: '≤ 1.25×',
      met: events <= 1.25,
    });
  }
  if (httpFloor && apiIntake) {
    const intake = ratio(apiIntake.load.okPerSecond, httpFloor.load.okPerSecond);
    checks.push({
      figure: 'API intake (POST /orders accepted per second)',
      measured: `${num(apiIntake.load.okPerSecond)}/s`,
      floor: `${num(httpFloor.load.okPerSecond)}/s`,
      ratio: intake,
      target: '≥ 0.7×',
      met: intake >= 0.7,
    });
  }
  if (orders) {
    checks.push({
      figure: `Worker peak RSS, ${num(orders.inFlight.orders)} orders in flight`,
      measured: `${num(orders.inFlight.peakRssMB)} MB`,
      floor: '–',
      ratio: Number.NaN,
      target: '< 400 MB',
      met: orders.inFlight.peakRssMB < 400,
    });
  }
  return checks;
}

export function targetsTable(checks: TargetCheck[]): Table {
  return {
    title: 'Targets (ratios to the floors of this run)',
    headers: ['figure', 'measured', 'floor', 'ratio', 'target', 'met'],
    rows: checks.map((check) => [check.figure, check.measured, check.floor, times(check.ratio), check.target, check.met ? 'yes' : 'NO']),
  };
}
