import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderSummary } from '../../src/api/orders/index.js';
import { orderWorkflowId } from '../../src/domain/order.js';
import { TEST_TOKENS } from '../../src/payments/contract.js';
import { waitFor } from '../../devstack/wait-for.js';
import { anOrderRequest, call, waitForOrderStatus } from '../support/api-client.js';
import { findMoneyViolations } from '../../chaos/invariants/index.js';
import { startOrderStack, type OrderStack } from '../support/order-stack.js';
import { isRetrying, waitForPendingActivity } from '../support/pending-activities.js';
import { resetToFirstWorkflowTask } from '../support/workflow-reset.js';

const CATALOGUE = [
  { sku: 'KBD-001', name: 'Mechanical keyboard', unitPrice: 8900, currency: 'USD', stockAvailable: 50 },
  { sku: 'MSE-001', name: 'Wireless mouse', unitPrice: 2900, currency: 'USD', stockAvailable: 50 },
  { sku: 'CAB-001', name: 'USB-C cable', unitPrice: 900, currency: 'USD', stockAvailable: 3 },
];
const FINAL = ['COMPLETED', 'FAILED', 'CANCELLED'] as const;

/**
 * Every path an order's money and stock can take, on the real stack, each checked as it happens;
 * then, once all have settled, the invariants over the whole database and the gateway's ledger.
 */
describe('money invariants over every path of the saga', () => {
  let stack: OrderStack;
  beforeAll(async () => {
    stack = await startOrderStack({ catalogue: CATALOGUE });
  });
  afterAll(() => stack?.stop());

  const place = async (request: ReturnType<typeof anOrderRequest>) => (await call<OrderSummary>(stack.apiUrl, 'POST', '/orders', request)).body;
  const settled = (order: OrderSummary) => waitForOrderStatus(stack.apiUrl, order.id, [...FINAL]);

  it('happy: completes and charges the total once', async () => {
    const order = await place(
      anOrderRequest({
        items: [
          { sku: 'KBD-001', quantity: 1 },
          { sku: 'MSE-001', quantity: 2 },
        ],
      }),
    );
    expect(await settled(order)).toMatchObject({ status: 'COMPLETED' });
    expect(await stack.gateway.listCharges(order.id)).toMatchObject([{ amount: 14_700, status: 'succeeded', refund: null }]);
  });

  it('declined: fails PAYMENT_DECLINED with nothing charged', async () => {
    const order = await place(anOrderRequest({ paymentToken: TEST_TOKENS.declined }));
    expect(await settled(order)).toMatchObject({ status: 'FAILED', failureReason: 'PAYMENT_DECLINED' });
    expect(await stack.gateway.listCharges(order.id)).toEqual([]);
  });

  it('a charge whose answer is lost, and whose retry is refused 409: fails PAYMENT_UNAVAILABLE and refunds the charge', async () => {
    await stack.gateway.setFaults({ paths: ['/charges'], loseNextResponses: 1, rejectNext: { status: 409, count: 1 } });
    const order = await place(anOrderRequest({ items: [{ sku: 'MSE-001', quantity: 1 }] }));
    const failed = await settled(order);
    await stack.gateway.setFaults({ paths: [] });

    expect(failed).toMatchObject({ status: 'FAILED', failureReason: 'PAYMENT_UNAVAILABLE', refundPending: false });
    const [charge, ...more] = await stack.gateway.listCharges(order.id);
    expect(more).toEqual([]);
    expect(charge).toMatchObject({ amount: 2_900, status: 'refunded', refund: { amount: 2_900, status: 'succeeded' } });
  });

  it('out of stock: fails OUT_OF_STOCK with nothing charged', async () => {
    const order = await place(anOrderRequest({ items: [{ sku: 'CAB-001', quantity: 4 }] }));
    expect(await settled(order)).toMatchObject({ status: 'FAILED', failureReason: 'OUT_OF_STOCK' });
    expect(await stack.gateway.listCharges(order.id)).toEqual([]);
  });

  it('a gateway outage and a cancel: CANCELLED with its refund pending while the gateway is down, settled once it is back', async () => {
    await stack.gateway.setFaults({ failureRate: 1, paths: [] });
    try {
      const order = await place(anOrderRequest({ items: [{ sku: 'KBD-001', quantity: 1 }] }));
      await waitForPendingActivity(stack.temporal.workflow.getHandle(orderWorkflowId(order.id)), 'chargePayment', isRetrying);

      const cancelled = await call<OrderSummary>(stack.apiUrl, 'POST', `/orders/${order.id}/cancel`, { reason: 'gateway down too long' });
      expect(cancelled.body).toMatchObject({ status: 'CANCELLED' });
      const pending = await waitFor('the cancelled order to show its refund pending', async () => {
        const { body } = await call<OrderSummary>(stack.apiUrl, 'GET', `/orders/${order.id}`);
        if (body.status === 'CANCELLED' && body.refundPending) return body;
        throw new Error(`${body.status}, refundPending ${body.refundPending}`);
      });
      expect(pending).toMatchObject({ status: 'CANCELLED', refundPending: true });

      await stack.gateway.setFaults({ failureRate: 0 });
      expect(await settled(order)).toMatchObject({ status: 'CANCELLED', refundPending: false });
      expect(await stack.gateway.listRefunds(order.id)).toMatchObject([{ status: 'voided', amount: 0 }]);
    } finally {
      await stack.gateway.setFaults({ failureRate: 0 });
    }
  });

  it('a reset of a completed order: still COMPLETED, charged once, never refunded', async () => {
    const order = await place(anOrderRequest({ items: [{ sku: 'MSE-001', quantity: 3 }] }));
    expect(await settled(order)).toMatchObject({ status: 'COMPLETED' });
    await stack.temporal.workflow.getHandle(orderWorkflowId(order.id)).result();

    const rerun = await resetToFirstWorkflowTask(stack.temporal, orderWorkflowId(order.id), 'money-invariants: replay a delivered order');

    expect(await rerun.result()).toMatchObject({ status: 'COMPLETED' });
    expect(await settled(order)).toMatchObject({ status: 'COMPLETED' });
    expect(await stack.gateway.listCharges(order.id)).toMatchObject([{ amount: 8_700, status: 'succeeded', refund: null }]);
  });

  it('after every path has settled: each order nets exactly what it kept, and stock adds up', async () => {
    const initialStock = Object.fromEntries(CATALOGUE.map((p) => [p.sku, p.stockAvailable]));
    // Every workflow closed, so no compensation is still on its way.
    await waitFor('every order workflow to close', async () => {
      const open = await stack.temporal.workflow.count(`TaskQueue = '${stack.taskQueue}' AND ExecutionStatus = 'Running'`);
      if (open.count > 0) throw new Error(`${open.count} still running`);
      return true;
    });

    expect(await findMoneyViolations({ db: stack.database.db, initialStock })).toEqual([]);
  });
});
