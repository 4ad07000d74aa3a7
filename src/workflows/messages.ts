import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Money } from '../domain/money.js';
import type { OrderLine } from '../domain/order.js';
import type { FailureReason, OrderStatus } from '../domain/order-status.js';
import type { SagaTimings } from './timings.js';

/** Imported by both the workflow and its clients, so names and shapes are defined once. */
export const ORDER_WORKFLOW_TYPE = 'orderWorkflow';

export interface OrderWorkflowInput {
  orderId: string;
  customerId: string;
  lines: OrderLine[];
  total: Money;
  paymentToken: string;
  /** The API request that accepted the order, so its logs and the workflow's can be joined. */
  requestId?: string;
  timings?: Partial<SagaTimings>;
}

export interface OrderState {
  orderId: string;
  status: OrderStatus;
  failureReason: FailureReason | null;
  failureDetail: string | null;
  paymentId: string | null;
}

export interface CancelOrderRequest {
  reason?: string;
}

export const orderStatusQuery = defineQuery<OrderState>('orderStatus');

/** Answers with the order's final state once the cancellation has run its compensations. */
export const cancelOrderUpdate = defineUpdate<OrderState, [CancelOrderRequest]>('cancelOrder');

/** `Prefer: wait=N` is honoured up to 30 seconds. */
export const MAX_OUTCOME_WAIT_MS = 30_000;

export interface WaitForOutcomeRequest {
  /** How long to wait for a final status before answering with the status as it is. */
  timeoutMs: number;
}

/** Answers once the order reaches a final status, or when the timeout passes: `Prefer: wait=N` in one round trip. */
export const waitForOutcomeUpdate = defineUpdate<OrderState, [WaitForOutcomeRequest]>('waitForOutcome');
