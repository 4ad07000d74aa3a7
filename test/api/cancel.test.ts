import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { OrderSummary } from '../../src/api/orders/index.js';
import { orderWorkflowId } from '../../src/domain/order.js';
import { anOrderRequest, call, stockOf, waitForOrderStatus } from '../support/api-client.js';
import { startOrderStack, type OrderStack } from '../support/order-stack.js';
import { isRunning, waitForPendingActivity } from '../support/pending-activities.js';

const CATALOGUE = [{ sku: 'KBD-001', name: 'Mechanical keyboard', unitPrice: 8900, currency: 'USD', stockAvailable: 100 }];
const NO_FAULTS = { failureRate: 0, latencyMs: 0, seed: 11, paths: [] };

describe('POST /orders/:id/cancel at each stage of the saga', () => {
  let stack: OrderStack;
  beforeAll(async () => {
    // The first test starts the worker after sending a cancel: give it longer than the default to accept it.
    stack = await startOrderStack({ catalogue: CATALOGUE, api: { temporalDeadlines: { cancelAcceptMs: 20_000 } } });
  });
  afterEach(() => stack.gateway.setFaults(NO_FAULTS));
  afterAll(() => stack.stop());

  const placeOrder = async (customerId: string) =>
    (await call<OrderSummary>(stack.apiUrl, 'POST', '/orders', anOrderRequest({ customerId, items: [{ sku: 'KBD-001', quantity: 2 }] }))).body;
  const cancel = (orderId: string) => call<{ id: string; status: string }>(stack.apiUrl, 'POST', `/orders/${orderId}/cancel`, { reason: 'changed my mind' });

  it('before the reservation: nothing was held, nothing is charged, and the order ends CANCELLED', async () => {
    const stockBefore = await stockOf(stack.apiUrl, 'KBD-001');
    await stack.stopWorker();
    const order = await placeOrder('cus_cancel_early');
    // The Update waits for a worker: it arrives with the workflow's first task, before any step runs.
    const cancelling = cancel(order.id);
    await stack.startWorker();
    const response = await cancelling;
    expect(response).toMatchObject({ status: 200, body: { id: order.id, status: 'CANCELLED' } });
    expect(await stockOf(stack.apiUrl, 'KBD-001')).toBe(stockBefore);
    expect(await stack.gateway.listCharges(order.id)).toEqual([]);
  });

  it('after the reservation, while the charge keeps failing: the stock returns and the charge key is voided', async () => {
    const stockBefore = await stockOf(stack.apiUrl, 'KBD-001');
    await stack.gateway.setFaults({ ...NO_FAULTS, failureRate: 1, paths: ['/charges'] });
    const order = await placeOrder('cus_cancel_reserved');
    await waitForOrderStatus(stack.apiUrl, order.id, ['RESERVED']);
    expect(await stockOf(stack.apiUrl, 'KBD-001')).toBe(stockBefore - 2);

    const response = await cancel(order.id);
    expect(response).toMatchObject({ status: 200, body: { status: 'CANCELLED' } });
    expect(await stockOf(stack.apiUrl, 'KBD-001')).toBe(stockBefore);
    await stack.gateway.setFaults(NO_FAULTS);
    expect(await stack.gateway.listCharges(order.id)).toEqual([]);
  });

  it('with the charge in flight: the charge lands and is refunded, never left standing', async () => {
    const stockBefore = await stockOf(stack.apiUrl, 'KBD-001');
    // Every gateway call takes 1.5 s, so the charge reaches the gateway before the refund that follows it.
    await stack.gateway.setFaults({ ...NO_FAULTS, latencyMs: 1_500 });
    const order = await placeOrder('cus_cancel_in_flight');
    await waitForPendingActivity(stack.temporal.workflow.getHandle(orderWorkflowId(order.id)), 'chargePayment', isRunning);
    const response = await cancel(order.id);
    expect(response).toMatchObject({ status: 200, body: { status: 'CANCELLED' } });
    // The outcome is recorded before the refund, which may wait on the provider: wait until it is made,
    // with the latency still on, so the refund reaches the gateway after the charge did.
    await waitForOrderStatus(stack.apiUrl, order.id, ['CANCELLED']);
    await stack.gateway.setFaults(NO_FAULTS);
    const charges = await stack.gateway.listCharges(order.id);
    expect(charges.map((c) => [c.amount, c.status])).toEqual([[17800, 'refunded']]);
    expect(await stockOf(stack.apiUrl, 'KBD-001')).toBe(stockBefore);
    expect(await waitForOrderStatus(stack.apiUrl, order.id, ['CANCELLED'])).toMatchObject({ status: 'CANCELLED' });
  });

  it('after completion: 409 with the reason, and the order stays COMPLETED', async () => {
    const order = await placeOrder('cus_cancel_late');
    await waitForOrderStatus(stack.apiUrl, order.id, ['COMPLETED']);
    const response = await cancel(order.id);
    expect(response.status).toBe(409);
    expect(response.body).toMatchObject({ type: 'https://orders.example/problems/order-not-cancellable', detail: expect.stringMatching(/COMPLETED/) });
    expect((await call<OrderSummary>(stack.apiUrl, 'GET', `/orders/${order.id}`)).body.status).toBe('COMPLETED');
  });

  it('replays a cancel with the same Idempotency-Key without a second Update', async () => {
    await stack.gateway.setFaults({ ...NO_FAULTS, failureRate: 1, paths: ['/charges'] });
    const order = await placeOrder('cus_cancel_twice');
    await waitForOrderStatus(stack.apiUrl, order.id, ['RESERVED']);
    const headers = { 'idempotency-key': 'cancel-once' };
    const first = await call(stack.apiUrl, 'POST', `/orders/${order.id}/cancel`, {}, headers);
    const second = await call(stack.apiUrl, 'POST', `/orders/${order.id}/cancel`, {}, headers);
    expect(first).toMatchObject({ status: 200, body: { status: 'CANCELLED' } });
    expect(second.status).toBe(200);
    expect(second.body).toEqual(first.body);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
  });
});
