import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderSummary } from '../../src/api/orders/index.js';
import { orderWorkflowId } from '../../src/domain/order.js';
import { anOrderRequest, call, stockOf, waitForOrderStatus } from '../support/api-client.js';
import { orderRow, reservationsOf } from '../support/order-fixtures.js';
import { startOrderStack, type OrderStack } from '../support/order-stack.js';
import { resetToFirstWorkflowTask } from '../support/workflow-reset.js';

const CATALOGUE = [{ sku: 'KBD-001', name: 'Mechanical keyboard', unitPrice: 8900, currency: 'USD', stockAvailable: 50 }];

describe('an operator resets a delivered order with `temporal workflow reset`', () => {
  let stack: OrderStack;
  beforeAll(async () => {
    stack = await startOrderStack({ catalogue: CATALOGUE });
  });
  afterAll(() => stack?.stop());

  it('replays reserve and charge without refunding: the order stays COMPLETED, charged once, its stock taken once', async () => {
    const before = await stockOf(stack.apiUrl, 'KBD-001');
    const { body: accepted } = await call<OrderSummary>(stack.apiUrl, 'POST', '/orders', anOrderRequest({ items: [{ sku: 'KBD-001', quantity: 2 }] }));
    const completed = await waitForOrderStatus(stack.apiUrl, accepted.id, ['COMPLETED', 'FAILED', 'CANCELLED']);
    expect(completed.status).toBe('COMPLETED');
    await stack.temporal.workflow.getHandle(orderWorkflowId(accepted.id)).result();
    const { paymentId } = await orderRow(stack.database.db, accepted.id);

    const rerun = await resetToFirstWorkflowTask(stack.temporal, orderWorkflowId(accepted.id), 'money-invariants: reset a delivered order');
    const state = await rerun.result();

    expect(state).toMatchObject({ status: 'COMPLETED', paymentId });
    expect(await orderRow(stack.database.db, accepted.id)).toMatchObject({ status: 'COMPLETED', paymentId, refundPending: false });
    expect(await stack.gateway.listCharges(accepted.id)).toMatchObject([{ id: paymentId, amount: 17_800, status: 'succeeded', refund: null }]);
    expect(await stack.gateway.listRefunds(accepted.id)).toEqual([]);
    expect(await stockOf(stack.apiUrl, 'KBD-001')).toBe(before - 2);
    expect(await reservationsOf(stack.database.db, accepted.id)).toMatchObject([{ quantity: 2, status: 'COMMITTED' }]);
  });
});
