import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderSummary } from '../../src/api/orders/index.js';
import { orderWorkflowId } from '../../src/domain/order.js';
import { TEST_TOKENS } from '../../src/payments/contract.js';
import { anOrderRequest, call, stockOf, waitForOrderStatus } from '../support/api-client.js';
import { startOrderStack, type OrderStack } from '../support/order-stack.js';

const CATALOGUE = [
  { sku: 'KBD-001', name: 'Mechanical keyboard', unitPrice: 8900, currency: 'USD', stockAvailable: 50 },
  { sku: 'MSE-001', name: 'Wireless mouse', unitPrice: 2900, currency: 'USD', stockAvailable: 50 },
];

describe('orders end to end over HTTP, with every real part running', () => {
  let stack: OrderStack;
  beforeAll(async () => {
    stack = await startOrderStack({ catalogue: CATALOGUE });
  });
  afterAll(() => stack.stop());

  it('takes an order for a keyboard and two mice to COMPLETED, charging the catalogue price once', async () => {
    const keyboardsBefore = await stockOf(stack.apiUrl, 'KBD-001');
    const request = anOrderRequest({
      items: [
        { sku: 'KBD-001', quantity: 1 },
        { sku: 'MSE-001', quantity: 2 },
      ],
    });
    const accepted = await call<OrderSummary>(stack.apiUrl, 'POST', '/orders', request);
    expect(accepted.status).toBe(202);
    expect(accepted.body).toMatchObject({ status: 'PENDING', total: { amount: 8900 + 2 * 2900, currency: 'USD' } });
    expect(accepted.headers.get('location')).toBe(`/orders/${accepted.body.id}`);

    const completed = await waitForOrderStatus(stack.apiUrl, accepted.body.id, ['COMPLETED', 'FAILED', 'CANCELLED']);
    expect(completed.status).toBe('COMPLETED');
    expect(await stockOf(stack.apiUrl, 'KBD-001')).toBe(keyboardsBefore - 1);
    const charges = await stack.gateway.listCharges(accepted.body.id);
    expect(charges.map((c) => [c.amount, c.status])).toEqual([[14700, 'succeeded']]);
  });

  it('fails a declined order with PAYMENT_DECLINED and puts its stock back', async () => {
    const before = await stockOf(stack.apiUrl, 'MSE-001');
    const accepted = await call<OrderSummary>(
      stack.apiUrl,
      'POST',
      '/orders',
      anOrderRequest({ items: [{ sku: 'MSE-001', quantity: 3 }], paymentToken: TEST_TOKENS.declined }),
    );
    expect(accepted.status).toBe(202);
    const failed = await waitForOrderStatus(stack.apiUrl, accepted.body.id, ['COMPLETED', 'FAILED', 'CANCELLED']);
    expect(failed).toMatchObject({ status: 'FAILED', failureReason: 'PAYMENT_DECLINED' });
    expect(await stockOf(stack.apiUrl, 'MSE-001')).toBe(before);
    expect(await stack.gateway.listCharges(accepted.body.id)).toEqual([]);
  });

  it('answers a repeated POST with the same Idempotency-Key with the same order and one workflow', async () => {
    const request = anOrderRequest({ customerId: 'cus_retrying' });
    const headers = { 'idempotency-key': 'checkout-7f3a' };
    const first = await call<OrderSummary>(stack.apiUrl, 'POST', '/orders', request, headers);
    const second = await call<OrderSummary>(stack.apiUrl, 'POST', '/orders', request, headers);
    expect(first.status).toBe(202);
    expect(second.status).toBe(202);
    expect(second.body.id).toBe(first.body.id);
    expect(second.headers.get('idempotent-replayed')).toBe('true');

    await waitForOrderStatus(stack.apiUrl, first.body.id, ['COMPLETED']);
    const executions = [];
    for await (const execution of stack.temporal.workflow.list({ query: `WorkflowId = '${orderWorkflowId(first.body.id)}'` })) executions.push(execution);
    expect(executions).toHaveLength(1);
    expect(await stack.gateway.listCharges(first.body.id)).toHaveLength(1);
    const { body } = await call<{ data: OrderSummary[] }>(stack.apiUrl, 'GET', '/orders?customerId=cus_retrying');
    expect(body.data.map((o) => o.id)).toEqual([first.body.id]);
  });

  it('rejects an unknown SKU with a 400 that names the field, and writes nothing', async () => {
    const response = await call<{ errors: { pointer: string }[] }>(
      stack.apiUrl,
      'POST',
      '/orders',
      anOrderRequest({ customerId: 'cus_typo', items: [{ sku: 'NOPE-1', quantity: 1 }] }),
    );
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(response.body.errors).toEqual([expect.objectContaining({ pointer: '/items/0/sku' })]);
    const { body } = await call<{ data: OrderSummary[] }>(stack.apiUrl, 'GET', '/orders?customerId=cus_typo');
    expect(body.data).toEqual([]);
  });
});
