export interface Distribution {
  count: number;
  min: number;
  mean: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentile of values sorted ascending. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function sortedCopy(values: Iterable<number>): Float64Array {
  return Float64Array.from(values).sort();
}

export function distribution(values: Iterable<number>): Distribution {
  const sorted = sortedCopy(values);
  let sum = 0;
  for (const value of sorted) sum += value;
  return {
    count: sorted.length,
    min: sorted[0] ?? Number.NaN,
    mean: sorted.length ? sum / sorted.length : Number.NaN,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1] ?? Number.NaN,
  };
}

/** Events per bucket of `bucketMs`, from the first event's bucket to the last's. */
export interface Timeline {
  startMs: number;
  bucketMs: number;
  counts: number[];
}

export function timeline(timesMs: Iterable<number>, bucketMs: number, startMs?: number): Timeline {
  const times = [...timesMs];
  if (times.length === 0) return { startMs: startMs ?? 0, bucketMs, counts: [] };
  const start = startMs ?? Math.min(...times);
  const counts: number[] = [];
  for (const time of times) {
    const bucket = Math.max(0, Math.floor((time - start) / bucketMs));
    while (counts.length <= bucket) counts.push(0);
    counts[bucket]! += 1;
  }
  return { startMs: start, bucketMs, counts };
}

/** Completions per second over the span from the first start to the last completion. */
export function ratePerSecond(count: number, spanMs: number): number {
  return spanMs > 0 ? (count * 1000) / spanMs : Number.NaN;
}

export const ratio = (value: number, floor: number): number => (floor > 0 && Number.isFinite(value) ? value / floor : Number.NaN);
