import type { SagaTimings } from '../../src/workflows/timings.js';

/**
 * Saga durations that let retries and deadlines play out in seconds against the real server, with
 * room for a busy two-core machine (a step's attempt may wait for a worker slot). A test that
 * waits out one window on purpose (the payment deadline, the notification window) passes that one
 * as an override and says why; everything else keeps these.
 */
export function fastSagaTimings(overrides: Partial<SagaTimings> = {}): SagaTimings {
  return {
    stepAttemptTimeoutMs: 5_000,
    inventoryDeadlineMs: 20_000,
    paymentAttemptTimeoutMs: 5_000,
    paymentDeadlineMs: 20_000,
    retryInitialIntervalMs: 100,
    retryMaximumIntervalMs: 500,
    compensationMaximumIntervalMs: 500,
    localAttemptsBudgetMs: 4_000,
    notificationWindowMs: 5_000,
    ...overrides,
  };
}
