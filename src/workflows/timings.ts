/**
 * Every duration the saga waits on is an input with a production default, so tests can pass
 * small values and finish in seconds on the real server, with no fake clocks. Milliseconds.
 */
export interface SagaTimings {
  /** One attempt of a database step (reserve, release, confirm, record). */
  stepAttemptTimeoutMs: number;
  /** All attempts to reserve stock together; past it the order fails INVENTORY_UNAVAILABLE. */
  inventoryDeadlineMs: number;
  /** One attempt to charge; longer than the gateway client's own HTTP timeout. */
  paymentAttemptTimeoutMs: number;
  /** All attempts to charge together; past it the order fails PAYMENT_UNAVAILABLE and is compensated. */
  paymentDeadlineMs: number;
  /** Exponential backoff for transient faults: first wait and cap. */
  retryInitialIntervalMs: number;
  retryMaximumIntervalMs: number;
  /** Compensations retry until they succeed; this caps the wait between their attempts. */
  compensationMaximumIntervalMs: number;
  /**
   * All local attempts of one step of a lean order together (docs/lean-saga.md); past it the step
   * runs as its durable activity. Short, because the workflow task, and so any cancel, waits on it.
   */
  localAttemptsBudgetMs: number;
  /** How long a notification keeps retrying before the order gives up on it (never failing the order). */
  notificationWindowMs: number;
}

export const DEFAULT_SAGA_TIMINGS: SagaTimings = {
  stepAttemptTimeoutMs: 10_000,
  inventoryDeadlineMs: 2 * 60_000,
  paymentAttemptTimeoutMs: 15_000,
  paymentDeadlineMs: 5 * 60_000,
  retryInitialIntervalMs: 1_000,
  retryMaximumIntervalMs: 30_000,
  compensationMaximumIntervalMs: 60_000,
  localAttemptsBudgetMs: 4_000,
  notificationWindowMs: 60 * 60_000,
};
