import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import type { OrderSummary } from '../../src/api/orders/index.js';
import { stockAdjustments } from '../../src/db/schema.js';
import { anOrderRequest, call, stockOf } from '../support/api-client.js';
import { startOrderStack, type OrderStack } from '../support/order-stack.js';

const CATALOGUE = [{ sku: 'KBD-001', name: 'Mechanical keyboard', unitPrice: 8900, currency: 'USD', stockAvailable: 10 }];

describe('the admin manages the catalogue; a customer only reads it', () => {
  let stack: OrderStack;
  let customer: string;
  beforeAll(async () => {
    stack = await startOrderStack({ catalogue: CATALOGUE, startWorker: false });
    customer = stack.customerToken('cus_shopper');
  });
  afterAll(() => stack.stop());

  const adjust = (sku: string, body: unknown, key: string, token?: string) =>
    call<{ id: string; stockAfter: number; actor: string }>(
      stack.apiUrl,
      'POST',
      `/products/${sku}/stock-adjustments`,
      body,
      { 'idempotency-key': key },
      token ? { token } : {},
    );

  it('403 for a customer on every admin route, and nothing changes', async () => {
    for (const [method, path, body] of [
      ['POST', '/products', { sku: 'NEW-1', name: 'New', unitPrice: 100, currency: 'USD' }],
      ['PATCH', '/products/KBD-001', { unitPrice: 1 }],
      ['POST', '/products/KBD-001/stock-adjustments', { quantity: 100, reason: 'mine now' }],
    ] as const) {
      const response = await call(stack.apiUrl, method, path, body, { 'idempotency-key': 'k' }, { token: customer });
      expect(response.status, `${method} ${path}`).toBe(403);
      expect(response.body).toMatchObject({ type: 'https://orders.example/problems/forbidden' });
    }
    expect((await call(stack.apiUrl, 'GET', '/products', undefined, {}, { token: customer })).body).toEqual({ data: [{ ...CATALOGUE[0], stockAvailable: 10 }] });
  });

  it('creates a product (a second with the same SKU is 409) that orders can then buy', async () => {
    const product = { sku: 'PAD-001', name: 'Desk pad', unitPrice: 1500, currency: 'USD', stockAvailable: 3 };
    const created = await call(stack.apiUrl, 'POST', '/products', product);
    expect(created).toMatchObject({ status: 201, body: product });
    expect((await call(stack.apiUrl, 'POST', '/products', { ...product, name: 'Other' })).status).toBe(409);
    const order = await call<OrderSummary>(stack.apiUrl, 'POST', '/orders', anOrderRequest({ items: [{ sku: 'PAD-001', quantity: 2 }] }));
    expect(order.body.total).toEqual({ amount: 3000, currency: 'USD' });
  });

  it('changes a price for new orders; a placed order keeps its price', async () => {
    const before = await call<OrderSummary>(stack.apiUrl, 'POST', '/orders', anOrderRequest({ items: [{ sku: 'KBD-001', quantity: 1 }] }));
    expect(await call(stack.apiUrl, 'PATCH', '/products/KBD-001', { unitPrice: 9900 })).toMatchObject({ status: 200, body: { sku: 'KBD-001', unitPrice: 9900 } });
    const after = await call<OrderSummary>(stack.apiUrl, 'POST', '/orders', anOrderRequest({ items: [{ sku: 'KBD-001', quantity: 1 }] }));
    expect(after.body.total.amount).toBe(9900);
    expect((await call<OrderSummary>(stack.apiUrl, 'GET', `/orders/${before.body.id}`)).body.total.amount).toBe(8900);
    expect((await call(stack.apiUrl, 'PATCH', '/products/NOPE-1', { unitPrice: 1 })).status).toBe(404);
  });

  it('restocks once per Idempotency-Key, audited with who, when, how much and why', async () => {
    const stock = await stockOf(stack.apiUrl, 'KBD-001');
    const first = await adjust('KBD-001', { quantity: 25, reason: 'delivery 4711' }, 'restock-1');
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ sku: 'KBD-001', quantity: 25, reason: 'delivery 4711', actor: 'test-admin', stockAfter: stock + 25 });
    const retry = await adjust('KBD-001', { quantity: 25, reason: 'delivery 4711' }, 'restock-1');
    expect(retry.status).toBe(200);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body).toEqual(first.body);
    expect(await stockOf(stack.apiUrl, 'KBD-001')).toBe(stock + 25);
    expect((await adjust('KBD-001', { quantity: 26, reason: 'delivery 4711' }, 'restock-1')).status).toBe(422);

    const audit = await stack.database.db.select().from(stockAdjustments).where(eq(stockAdjustments.idempotencyKey, 'restock-1'));
    expect(audit).toEqual([expect.objectContaining({ actor: 'test-admin', quantity: 25, reason: 'delivery 4711', stockAfter: stock + 25, createdAt: expect.any(Date) })]);
  });

  it('never takes stock below zero (409), needs a key (400), and an unknown SKU is 404: none of them is recorded', async () => {
    const stock = await stockOf(stack.apiUrl, 'KBD-001');
    expect((await adjust('KBD-001', { quantity: -(stock + 1), reason: 'count' }, 'too-many')).status).toBe(409);
    expect((await adjust('NOPE-1', { quantity: 1, reason: 'x' }, 'unknown-sku')).status).toBe(404);
    expect((await call(stack.apiUrl, 'POST', '/products/KBD-001/stock-adjustments', { quantity: 1, reason: 'x' })).status).toBe(400);
    expect((await adjust('KBD-001', { quantity: 0, reason: 'x' }, 'zero')).status).toBe(400);
    expect(await stockOf(stack.apiUrl, 'KBD-001')).toBe(stock);
    const keys = (await stack.database.db.select().from(stockAdjustments)).map((row) => row.idempotencyKey);
    expect(keys).toEqual(['restock-1']);
    expect((await adjust('KBD-001', { quantity: -stock, reason: 'count: all gone' }, 'to-zero')).body).toMatchObject({ stockAfter: 0 });
  });
});
