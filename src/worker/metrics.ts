import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { OrderMetrics } from '../activities/order-metrics.js';
import { PAYMENT_ATTEMPT_OUTCOMES } from '../activities/order-metrics.js';
import { FAILURE_REASONS } from '../domain/order-status.js';
import { GATEWAY_CIRCUIT_STATES, type GatewayBreakerObserver } from '../payments/circuit-breaker.js';
import { COMPENSATION_SERIES } from '../workflows/saga-steps.js';

export interface WorkerMetrics extends OrderMetrics, GatewayBreakerObserver {
  /** The worker's own registry, served on METRICS_PORT; the SDK's core metrics have their own port. */
  registry: Registry;
}

/** An order takes seconds when all is well and minutes when payment retries up to its deadline. */
export const ORDER_DURATION_BUCKETS = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];

/** A registry of its own per call, never the global one, so a test process can hold several. */
export function createWorkerMetrics(): WorkerMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const completed = new Counter({ name: 'orders_completed_total', help: 'Orders that reached COMPLETED', registers });
  const failed = new Counter({ name: 'orders_failed_total', help: 'Orders that reached FAILED, by failure reason', labelNames: ['reason'], registers });
  const cancelled = new Counter({ name: 'orders_cancelled_total', help: 'Orders that reached CANCELLED', registers });
  const compensations = new Counter({
    name: 'orders_compensations_total',
    help: 'Compensations that ran to success, by step and outcome',
    labelNames: ['step', 'outcome'],
    registers,
  });
  const duration = new Histogram({
    name: 'order_duration_seconds',
    help: 'From the order’s acceptance to its final status, by that status',
    labelNames: ['status'],
    buckets: ORDER_DURATION_BUCKETS,
    registers,
  });
  const paymentAttempts = new Counter({
    name: 'payment_attempts_total',
    help: 'Charge attempts against the payment gateway, by outcome',
    labelNames: ['outcome'],
    registers,
  });
  const shortCircuited = new Counter({
    name: 'payment_gateway_calls_short_circuited_total',
    help: 'Gateway calls the circuit breaker refused without sending them, while the gateway was failing',
    registers,
  });
  const circuitState = new Gauge({
    name: 'payment_gateway_circuit_state',
    help: 'The payment gateway circuit breaker: 1 for its current state (closed, open, half-open), 0 for the others',
    labelNames: ['state'],
    registers,
  });
  // Every known series starts at 0, so rate() and increase() see the first event.
  for (const reason of FAILURE_REASONS) failed.inc({ reason }, 0);
  for (const series of COMPENSATION_SERIES) compensations.inc(series, 0);
  for (const outcome of PAYMENT_ATTEMPT_OUTCOMES) paymentAttempts.inc({ outcome }, 0);

  return {
    registry,
    orderFinished({ status, reason, durationSeconds }) {
      if (status === 'COMPLETED') completed.inc();
      else if (status === 'CANCELLED') cancelled.inc();
      else failed.inc({ reason: reason ?? 'UNKNOWN' });
      duration.observe({ status }, durationSeconds);
    },
    compensationRan: (step, outcome) => compensations.inc({ step, outcome }),
    paymentAttempted: (outcome) => paymentAttempts.inc({ outcome }),
    gatewayCallShortCircuited: () => shortCircuited.inc(),
    gatewayCircuitChanged: (current) => {
      for (const state of GATEWAY_CIRCUIT_STATES) circuitState.set({ state }, state === current ? 1 : 0);
    },
  };
}
