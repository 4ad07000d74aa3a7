/**
 * The webhook dispatcher's durations: production defaults here, and every one an input, so tests
 * run the real dispatcher on the real server in seconds. The workflow, the API (which starts
 * dispatchers) and the delivery activity all read them.
 */
export interface WebhookTimings {
  /** How long a delivery keeps being retried before its endpoint is disabled: Stripe's 3 days. */
  retryWindowMs: number;
  /** The wait before the second attempt; each later one doubles, up to the maximum. */
  retryInitialIntervalMs: number;
  retryMaximumIntervalMs: number;
  /** One attempt, from schedule to its answer recorded; the HTTP exchange itself is bounded tighter by the worker. */
  attemptTimeoutMs: number;
  /** How often an idle dispatcher looks for new events. */
  pollIntervalMs: number;
  /** Events read per batch, and how many orders' events are delivered at once. */
  batchSize: number;
  ordersInParallel: number;
  /** Loop turns before the dispatcher continues as new, so its history stays short. */
  turnsPerRun: number;
}

export const DEFAULT_WEBHOOK_TIMINGS: WebhookTimings = {
  retryWindowMs: 3 * 24 * 60 * 60_000,
  retryInitialIntervalMs: 10_000,
  retryMaximumIntervalMs: 60 * 60_000,
  attemptTimeoutMs: 30_000,
  pollIntervalMs: 2_000,
  batchSize: 100,
  ordersInParallel: 8,
  turnsPerRun: 200,
};

/** The wait after failed attempt `attempt` (1-based): exponential, capped. The activity records it as the next retry time. */
export function retryDelayMs(attempt: number, t: Pick<WebhookTimings, 'retryInitialIntervalMs' | 'retryMaximumIntervalMs'>): number {
  return Math.min(t.retryInitialIntervalMs * 2 ** Math.min(attempt - 1, 40), t.retryMaximumIntervalMs);
}
