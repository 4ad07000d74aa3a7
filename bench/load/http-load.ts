import { Worker } from 'node:worker_threads';
import { distribution, ratePerSecond, timeline, type Distribution, type Timeline } from '../measure/stats.js';

export interface HttpLoadPlan {
  url: string;
  /** The JSON body of every request. */
  body: string;
  /** When set, each request carries `Idempotency-Key: <prefix>-<n>`, unique within the run. */
  idempotencyKeyPrefix?: string;
  /** The bearer token every request carries. */
  token?: string;
  concurrency: number;
  warmupMs: number;
  durationMs: number;
  requestTimeoutMs: number;
}

/** What the load thread sends back; times in ms from the start of the measured window. */
export interface HttpLoadRaw {
  latenciesMs: number[];
  completedAtMs: number[];
  statuses: Record<string, number>;
  measuredMs: number;
  /** Including the warm-up and the requests cut off at the end: what the CPU readings cover. */
  allRequests: number;
}

export interface HttpLoadResult {
  requests: number;
  allRequests: number;
  requestsPerSecond: number;
  /** Requests answered 2xx per second: the figure the phases compare. */
  okPerSecond: number;
  statuses: Record<string, number>;
  latencyMs: Distribution;
  perSecond: Timeline;
}

const THREAD_URL = new URL('./http-load-thread.ts', import.meta.url).href;

/** tsx does not follow into worker threads, so the thread registers it before loading its module. */
const THREAD_BOOTSTRAP = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(THREAD_URL)}); })`;

export async function runHttpLoad(plan: HttpLoadPlan): Promise<HttpLoadResult> {
  const thread = new Worker(THREAD_BOOTSTRAP, { eval: true, workerData: plan });
  const raw = await new Promise<HttpLoadRaw>((resolve, reject) => {
    thread.once('message', resolve);
    thread.once('error', reject);
    thread.once('exit', (code) => reject(new Error(`the load thread exited (code ${code}) without a result`)));
  });
  await thread.terminate();
  const ok = Object.entries(raw.statuses).reduce((sum, [status, count]) => (/^2\d\d$/.test(status) ? sum + count : sum), 0);
  return {
    requests: raw.latenciesMs.length,
    allRequests: raw.allRequests,
    requestsPerSecond: ratePerSecond(raw.latenciesMs.length, raw.measuredMs),
    okPerSecond: ratePerSecond(ok, raw.measuredMs),
    statuses: raw.statuses,
    latencyMs: distribution(raw.latenciesMs),
    perSecond: timeline(raw.completedAtMs, 1000, 0),
  };
}
