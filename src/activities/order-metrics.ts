import type { FailureReason, OrderStatus } from '../domain/order-status.js';
import type { CompensationActivity, CompensationOutcome } from '../workflows/saga-steps.js';

export type FinalOrderStatus = Extract<OrderStatus, 'COMPLETED' | 'FAILED' | 'CANCELLED'>;
export type PaymentAttemptOutcome = 'succeeded' | 'declined' | 'unavailable';
export const PAYMENT_ATTEMPT_OUTCOMES: readonly PaymentAttemptOutcome[] = ['succeeded', 'declined', 'unavailable'];

export interface FinishedOrder {
  status: FinalOrderStatus;
  reason?: FailureReason | null;
  /** From the order's acceptance (`orders.created_at`) to its final status. */
  durationSeconds: number;
}

/**
 * What the activities report; the worker implements it with Prometheus metrics. Activities call it
 * only where a write really happened, so retries never count twice. A compensation's outcomes are
 * those of its row in the step table.
 */
export interface OrderMetrics {
  orderFinished(order: FinishedOrder): void;
  compensationRan<C extends CompensationActivity>(step: C, outcome: CompensationOutcome<C>): void;
  paymentAttempted(outcome: PaymentAttemptOutcome): void;
}
