import type { BenchResults } from './bench-results.js';
import { ms, num } from './table.js';
import type { TargetCheck } from './targets.js';

/** Issue 15's targets for phases 6 and 8. Reported, never asserted. */
export function scalingTargets({ idleLatency, millionReads }: BenchResults): TargetCheck[] {
  const checks: TargetCheck[] = [];
  if (idleLatency) {
    checks.push({
      figure: '`Prefer: wait` round trip, one order on an idle stack, p50',
      measured: `${ms(idleLatency.roundTripMs.p50)} ms`,
      floor: '–',
      ratio: Number.NaN,
      target: '≤ 200 ms',
      met: idleLatency.roundTripMs.p50 <= 200,
    });
  }
  if (millionReads) {
    const total = millionReads.small.orders + millionReads.large.orders;
    for (const read of millionReads.reads) {
      checks.push({
        figure: `${read.read} p99 at ${num(total)} orders`,
        measured: `${ms(read.large.p99)} ms`,
        floor: `${ms(read.small.p99)} ms (${num(millionReads.small.orders)} orders)`,
        ratio: read.p99Ratio,
        target: '≤ 1.5×',
        met: read.p99Ratio <= 1.5,
      });
    }
    const scanned = millionReads.plans.filter((entry) => entry.size === 'large' && entry.plans.some((plan) => plan.seqScans.length > 0));
    checks.push({
      figure: `Reads at ${num(total)} orders use indexes (no Seq Scan on orders or order_items)`,
      measured: scanned.length === 0 ? 'none' : scanned.map((entry) => entry.read).join('; '),
      floor: '–',
      ratio: Number.NaN,
      target: 'none',
      met: scanned.length === 0,
    });
  }
  return checks;
}
