import { placeBenchOrder } from '../load/place-order.js';
import { countNotified, orderFacts } from '../measure/order-facts.js';
import { sampleRss } from '../measure/processes.js';
import { distribution, ratio, type Distribution } from '../measure/stats.js';
import type { PhaseContext } from './phase-context.js';

export interface SoakMinute {
  minute: number;
  /** Orders accepted in this minute, and their POST → final status latency. */
  orders: number;
  latencyMs: Distribution;
  rssMeanMB: number;
  rssMaxMB: number;
}

export interface SoakResult {
  ratePerSecond: number;
  durationMs: number;
  placed: number;
  completed: number;
  /** Orders that could not be placed on time because too many were still being placed. */
  skipped: number;
  minutes: SoakMinute[];
  /** p99 of the last full minute over the first's: 1.0 means no drift. */
  p99Drift: number;
  rssGrowthMB: number;
  /** Least-squares slope of RSS over the second half: near zero when memory is bounded. */
  rssSlopeMBPerMinute: number;
}

/** Placing stops being "a fixed rate" if this many are outstanding; past it, ticks are skipped and counted. */
const MAX_OUTSTANDING_POSTS = 500;

function slope(points: { x: number; y: number }[]): number {
  const n = points.length;
  if (n < 2) return Number.NaN;
  const meanX = points.reduce((sum, p) => sum + p.x, 0) / n;
  const meanY = points.reduce((sum, p) => sum + p.y, 0) / n;
  const covariance = points.reduce((sum, p) => sum + (p.x - meanX) * (p.y - meanY), 0);
  const variance = points.reduce((sum, p) => sum + (p.x - meanX) ** 2, 0);
  return variance > 0 ? covariance / variance : Number.NaN;
}

/** Phase 5 (--soak): orders at a fixed rate, open loop, watching latency and the worker's memory minute by minute. */
export async function runSoak({ settings, bench, runId, progress }: PhaseContext): Promise<SoakResult> {
  const { soakRatePerSecond: rate, soakDurationMs: durationMs } = settings;
  progress(`soak: ${rate} orders/s for ${durationMs / 60_000} min`);
  const ids: string[] = [];
  const failures: unknown[] = [];
  let outstanding = 0;
  let skipped = 0;
  let sequence = 0;
  const rss = sampleRss(bench.workerPid, 1000);
  const startedAt = Date.now();
  const intervalMs = 1000 / rate;
  const posts: Promise<void>[] = [];
  // Each tick is scheduled from the start time, not from the last tick, so the rate does not drift.
  for (let tick = 0; tick * intervalMs < durationMs && failures.length === 0; tick++) {
    const wait = startedAt + tick * intervalMs - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    if (outstanding >= MAX_OUTSTANDING_POSTS) {
      skipped++;
      continue;
    }
    outstanding++;
    posts.push(
      placeBenchOrder(bench.stack.urls.api, `${runId}-soak-${sequence++}`, bench.stack.secrets.adminToken)
        .then(
          (id) => void ids.push(id),
          (error: unknown) => void failures.push(error),
        )
        .finally(() => outstanding--),
    );
  }
  await Promise.all(posts);
  if (failures.length > 0) throw failures[0];
  const giveUpAt = Date.now() + settings.phaseTimeoutMs;
  while ((await countNotified(bench.database.db, ids)) < ids.length) {
    if (Date.now() > giveUpAt) throw new Error('soak: orders did not all finish in time');
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  const samples = rss.stop();
  const orders = await orderFacts(bench.database.db, ids);
  const minuteOf = (atMs: number) => Math.floor((atMs - startedAt) / 60_000);
  const minutes: SoakMinute[] = [];
  for (let minute = 0; minute < Math.ceil(durationMs / 60_000); minute++) {
    const inMinute = orders.filter((order) => minuteOf(order.createdMs) === minute);
    const rssInMinute = samples.filter((sample) => minuteOf(sample.atMs) === minute).map((sample) => sample.rssMB);
    minutes.push({
      minute,
      orders: inMinute.length,
      latencyMs: distribution(inMinute.map((order) => order.updatedMs - order.createdMs)),
      rssMeanMB: rssInMinute.reduce((sum, value) => sum + value, 0) / Math.max(1, rssInMinute.length),
      rssMaxMB: Math.max(...rssInMinute),
    });
  }
  const first = minutes[0]!;
  const last = minutes[minutes.length - 1]!;
  const secondHalf = samples.filter((sample) => sample.atMs - startedAt >= durationMs / 2 && sample.atMs - startedAt <= durationMs);
  return {
    ratePerSecond: rate,
    durationMs,
    placed: ids.length,
    completed: orders.filter((order) => order.status === 'COMPLETED').length,
    skipped,
    minutes,
    p99Drift: ratio(last.latencyMs.p99, first.latencyMs.p99),
    rssGrowthMB: last.rssMeanMB - first.rssMeanMB,
    rssSlopeMBPerMinute: slope(secondHalf.map((sample) => ({ x: (sample.atMs - startedAt) / 60_000, y: sample.rssMB }))),
  };
}
