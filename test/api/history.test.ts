import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderSummary, TimelineEntry } from '../../src/api/orders/index.js';
import { orderWorkflowId } from '../../src/domain/order.js';
import { anOrderRequest, call, waitForOrderStatus } from '../support/api-client.js';
import { startOrderStack, type OrderStack } from '../support/order-stack.js';

const CATALOGUE = [{ sku: 'KBD-001', name: 'Mechanical keyboard', unitPrice: 8900, currency: 'USD', stockAvailable: 10 }];

describe('GET /orders/:id/history: the order’s trace from Temporal', () => {
  let stack: OrderStack;
  beforeAll(async () => {
    stack = await startOrderStack({ catalogue: CATALOGUE });
  });
  afterAll(() => stack.stop());

  it('shows a charge whose first attempt met a 503 and whose second succeeded', async () => {
    // Exactly one charge request fails; the retry goes through.
    await stack.gateway.setFaults({ failNext: 1, paths: ['/charges'] });
    const accepted = await call<OrderSummary>(stack.apiUrl, 'POST', '/orders', anOrderRequest({ customerId: 'cus_history' }));
    await waitForOrderStatus(stack.apiUrl, accepted.body.id, ['COMPLETED']);
    // COMPLETED is written before the customer is notified: let the workflow end before reading its trace.
    await stack.temporal.workflow.getHandle(orderWorkflowId(accepted.body.id)).result();

    const { status, body } = await call<{ entries: TimelineEntry[] }>(stack.apiUrl, 'GET', `/orders/${accepted.body.id}/history`);
    expect(status).toBe(200);
    const charges = body.entries.filter((e) => e.step === 'chargePayment');
    expect(charges.map((e) => [e.attempt, e.outcome])).toEqual([
      [1, 'failed'],
      [2, 'completed'],
    ]);
    expect(charges[0]!.failure).toMatch(/503/);
    expect(charges[1]).toMatchObject({ failure: null, startedAt: expect.any(String), finishedAt: expect.any(String) });
    expect(body.entries.map((e) => e.step)).toEqual([
      'order accepted',
      'reserveStock',
      'screenForFraud',
      'chargePayment',
      'chargePayment',
      'confirmOrder',
      'notifyCustomer',
    ]);
  });

  it('marks compensations as such', async () => {
    const accepted = await call<OrderSummary>(
      stack.apiUrl,
      'POST',
      '/orders',
      anOrderRequest({ customerId: 'cus_history_declined', paymentToken: 'tok_chargeDeclined' }),
    );
    await waitForOrderStatus(stack.apiUrl, accepted.body.id, ['FAILED']);
    const { body } = await call<{ entries: TimelineEntry[] }>(stack.apiUrl, 'GET', `/orders/${accepted.body.id}/history`);
    // Both compensations run: a decline on a retry can follow a charge whose answer was lost, so the refund voids the key.
    expect(body.entries.filter((e) => e.kind === 'compensation').map((e) => [e.step, e.outcome])).toEqual([
      ['releaseStock', 'completed'],
      ['refundPayment', 'completed'],
    ]);
    expect(body.entries.find((e) => e.step === 'chargePayment')).toMatchObject({ outcome: 'failed', failure: expect.stringMatching(/declined/) });
  });
});
