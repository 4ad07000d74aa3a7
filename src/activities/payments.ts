import { ApplicationFailure } from '@temporalio/common';
import { and, eq, sql } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { recordOrderEvent } from '../db/order-event-log.js';
import { orders } from '../db/schema.js';
import { chargeIdempotencyKey, refundIdempotencyKey } from '../domain/order.js';
import type { Money } from '../domain/money.js';
import { activityLog } from '../observability/activity-log.js';
import type { OrderMetrics } from './order-metrics.js';
import { GatewayCircuitOpenError } from '../payments/circuit-breaker.js';
import { GatewayRequestError, type PaymentGatewayClient } from '../payments/client.js';
import type { Refund } from '../payments/contract.js';
import { transitionOrder } from './order-transitions.js';

export interface ChargePaymentInput {
  orderId: string;
  total: Money;
  paymentToken: string;
}

/**
 * The gateway refused the request itself (a 4xx that is no decline): sending it again cannot help,
 * so it is non-retryable, but it is no business failure either. A retry of a charge whose first
 * answer was lost can get one (409 while that attempt is still processing, 401/403 after a key
 * rotation, 404/413 from a proxy), so the card may have been charged: the order must fail
 * PAYMENT_UNAVAILABLE and run its refund, never PAYMENT_DECLINED.
 */
export const PAYMENT_REQUEST_REJECTED = 'PaymentRequestRejected';

function paymentRequestRejected(error: GatewayRequestError): ApplicationFailure {
  return ApplicationFailure.nonRetryable(`Payment request rejected: ${error.message}`, PAYMENT_REQUEST_REJECTED, { status: error.status, code: error.code });
}

/**
 * The gateway's circuit breaker is open, so the call was not sent. Retryable, like any gateway
 * outage, but the next attempt waits until the breaker lets a trial call through (`nextRetryDelay`)
 * rather than on the usual backoff: the activity's retries then space themselves out, and the
 * payment deadline still bounds them. A charge retried this way keeps its idempotency key.
 */
export const PAYMENT_GATEWAY_UNAVAILABLE = 'PaymentGatewayUnavailable';

function gatewayCircuitOpen(error: GatewayCircuitOpenError): ApplicationFailure {
  return ApplicationFailure.create({ message: error.message, type: PAYMENT_GATEWAY_UNAVAILABLE, nonRetryable: false, nextRetryDelay: error.retryAfterMs });
}

export function createPaymentActivities(db: Database, gateway: PaymentGatewayClient, metrics?: OrderMetrics) {
  /**
   * Charges under a key derived from the order ID, so a retried attempt (or a duplicate execution)
   * is answered by the gateway with the first charge instead of a second one.
   * Transient gateway errors are thrown as they are, and the activity's retry policy takes over.
   */
  async function chargePayment({ orderId, total, paymentToken }: ChargePaymentInput): Promise<{ chargeId: string }> {
    let result;
    try {
      result = await gateway.charge(chargeIdempotencyKey(orderId), { orderId, amount: total.amount, currency: total.currency, token: paymentToken });
    } catch (error) {
      // A call the breaker held back never reached the gateway: the breaker counts it as saved, not as an attempt.
      if (error instanceof GatewayCircuitOpenError) throw gatewayCircuitOpen(error);
      metrics?.paymentAttempted('unavailable');
      if (error instanceof GatewayRequestError) throw paymentRequestRejected(error);
      throw error;
    }
    metrics?.paymentAttempted(result.outcome);
    if (result.outcome === 'declined') {
      activityLog().info('Payment declined', { code: result.code });
      throw ApplicationFailure.nonRetryable(`Payment declined: ${result.code}`, 'PaymentDeclined', { code: result.code });
    }
    // The charge itself is the gateway's; what this service records of it is the move to PAID, and the event goes with that write.
    const chargeId = result.charge.id;
    await db.transaction(async (tx) => {
      if (await transitionOrder(tx, orderId, 'PAID', { paymentId: chargeId })) {
        await recordOrderEvent(tx, { type: 'order.paid', orderId, data: { paymentId: chargeId, amount: { amount: total.amount, currency: total.currency } } });
      }
    });
    activityLog().info('Payment charged', { chargeId: result.charge.id, amount: total.amount, currency: total.currency });
    return { chargeId: result.charge.id };
  }

  /**
   * Refunds whatever was charged under the order's charge key; if nothing was, the gateway voids
   * the key so that a charge still in flight is refused when it lands.
   */
  async function refundPayment({ orderId }: { orderId: string }): Promise<Pick<Refund, 'id' | 'status' | 'amount'>> {
    let refund: Refund;
    try {
      refund = await gateway.refund(refundIdempotencyKey(orderId), { orderId, chargeIdempotencyKey: chargeIdempotencyKey(orderId) });
    } catch (error) {
      throw error instanceof GatewayCircuitOpenError ? gatewayCircuitOpen(error) : error;
    }
    await db.transaction(async (tx) => {
      // The outcome may already be recorded with the refund owed; from here it is not.
      await tx
        .update(orders)
        .set({ refundPending: false, updatedAt: sql`now()` })
        .where(and(eq(orders.id, orderId), eq(orders.refundPending, true)));
      const [order] = await tx.select({ currency: orders.currency }).from(orders).where(eq(orders.id, orderId));
      // A voided key means nothing was charged: there is no refund to tell anyone about.
      if (order && refund.status !== 'voided') {
        await recordOrderEvent(tx, { type: 'order.refunded', orderId, data: { refundId: refund.id, amount: { amount: refund.amount, currency: order.currency } } });
      }
    });
    metrics?.compensationRan('refundPayment', refund.status === 'voided' ? 'voided' : 'refunded');
    activityLog().info(refund.status === 'voided' ? 'Nothing was charged: charge key voided' : 'Payment refunded', { refundId: refund.id, amount: refund.amount });
    return { id: refund.id, status: refund.status, amount: refund.amount };
  }

  return { chargePayment, refundPayment };
}
