import { proxyActivities, type ActivityOptions } from '@temporalio/workflow';
import type { OrderActivities } from '../activities/index.js';
import { NON_RETRYABLE_ERROR_TYPES } from '../domain/business-errors.js';
import type { SagaTimings } from './timings.js';

/**
 * Retries are declared here, per group of activities, and nowhere else.
 * Transient faults (network, 5xx, timeouts) back off exponentially; business failures
 * (out of stock, declined, invalid) are non-retryable types and fail at once.
 */
export function orderActivities(t: SagaTimings) {
  const backoff = {
    initialInterval: t.retryInitialIntervalMs,
    backoffCoefficient: 2,
    maximumInterval: t.retryMaximumIntervalMs,
    nonRetryableErrorTypes: NON_RETRYABLE_ERROR_TYPES,
  };

  const inventory: ActivityOptions = {
    startToCloseTimeout: t.stepAttemptTimeoutMs,
    scheduleToCloseTimeout: t.inventoryDeadlineMs,
    retry: backoff,
  };

  // The deadline covers every attempt: a gateway that stays down fails the order instead of holding stock forever.
  const payment: ActivityOptions = {
    startToCloseTimeout: t.paymentAttemptTimeoutMs,
    scheduleToCloseTimeout: t.paymentDeadlineMs,
    retry: backoff,
  };

  // Compensations and bookkeeping must eventually happen: no attempt limit, no overall deadline.
  const mustSucceed: ActivityOptions = {
    startToCloseTimeout: t.paymentAttemptTimeoutMs,
    retry: { initialInterval: t.retryInitialIntervalMs, backoffCoefficient: 2, maximumInterval: t.compensationMaximumIntervalMs },
  };

  const notification: ActivityOptions = {
    startToCloseTimeout: t.stepAttemptTimeoutMs,
    scheduleToCloseTimeout: t.notificationWindowMs,
    retry: { initialInterval: t.retryInitialIntervalMs, backoffCoefficient: 2, maximumInterval: t.retryMaximumIntervalMs },
  };

  // proxyActivities returns a Proxy with no own keys: take each function out by name, never spread it.
  const { reserveStock } = proxyActivities<OrderActivities>(inventory);
  // The fraud screen is part of taking payment: it shares the payment deadline, and so the reason if it never answers.
  const { screenForFraud, chargePayment } = proxyActivities<OrderActivities>(payment);
  const { releaseStock, refundPayment, confirmOrder, recordOrderOutcome } = proxyActivities<OrderActivities>(mustSucceed);
  const { notifyCustomer } = proxyActivities<OrderActivities>(notification);
  return { reserveStock, screenForFraud, chargePayment, releaseStock, refundPayment, confirmOrder, recordOrderOutcome, notifyCustomer };
}
