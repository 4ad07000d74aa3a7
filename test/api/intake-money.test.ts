import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_CHARGE_AMOUNT } from '../../src/payments/contract.js';
import { anOrderRequest, call, type ApiResponse } from '../support/api-client.js';
import { aProduct, insertProducts } from '../support/order-fixtures.js';
import { startOrderStack, type OrderStack } from '../support/order-stack.js';

const CATALOGUE = [{ sku: 'KBD-001', name: 'Mechanical keyboard', unitPrice: 8900, currency: 'USD', stockAvailable: 100 }];

/** The order was refused as invalid, naming `pointer`, as problem+json. */
function expectInvalid(response: ApiResponse, pointer: string): void {
  expect(response.status, JSON.stringify(response.body)).toBe(400);
  expect(response.headers.get('content-type')).toBe('application/problem+json');
  expect((response.body as { errors?: { pointer: string }[] }).errors?.map((e) => e.pointer)).toContain(pointer);
}

describe('money the gateway or the int4 columns cannot take is refused at intake', () => {
  let stack: OrderStack;
  beforeAll(async () => {
    stack = await startOrderStack({ catalogue: CATALOGUE, startWorker: false });
  });
  afterAll(() => stack.stop());

  const orderCount = async () => (await stack.database.sql<{ n: number }[]>`select count(*)::int as n from orders`)[0]!.n;

  it('a total over the gateway’s maximum charge is a 400, not a PAYMENT_DECLINED later', async () => {
    const [dear] = await insertProducts(stack.database.db, aProduct({ unitPrice: Math.ceil(MAX_CHARGE_AMOUNT / 2) + 1 }));
    expectInvalid(await call(stack.apiUrl, 'POST', '/orders', anOrderRequest({ items: [{ sku: dear.sku, quantity: 2 }] })), '/items');
    expect(await orderCount()).toBe(0);
  });

  it('a total beyond the int4 column is a 400, not a 500', async () => {
    const [dearest] = await insertProducts(stack.database.db, aProduct({ unitPrice: 2_000_000_000 }));
    expectInvalid(await call(stack.apiUrl, 'POST', '/orders', anOrderRequest({ items: [{ sku: dearest.sku, quantity: 2 }] })), '/items');
    expect(await orderCount()).toBe(0);
  });

  it('a total of exactly the maximum charge is accepted', async () => {
    const [atMost] = await insertProducts(stack.database.db, aProduct({ unitPrice: MAX_CHARGE_AMOUNT }));
    expect((await call(stack.apiUrl, 'POST', '/orders', anOrderRequest({ items: [{ sku: atMost.sku, quantity: 1 }] }))).status).toBe(202);
  });

  it('no product or order line can have a zero price', async () => {
    await expect(insertProducts(stack.database.db, aProduct({ unitPrice: 0 }))).rejects.toThrow();
    const [priced] = await insertProducts(stack.database.db, aProduct());
    await expect(stack.database.sql`update products set unit_price = 0 where sku = ${priced.sku}`).rejects.toThrow(/products_unit_price_positive/);
  });

  it('a zero price that exists somehow is refused at intake', async () => {
    const [free] = await insertProducts(stack.database.db, aProduct());
    await stack.database.sql`alter table products drop constraint products_unit_price_positive`;
    try {
      await stack.database.sql`update products set unit_price = 0 where sku = ${free.sku}`;
      const before = await orderCount();
      expectInvalid(await call(stack.apiUrl, 'POST', '/orders', anOrderRequest({ items: [{ sku: free.sku, quantity: 1 }] })), '/items/0/sku');
      expect(await orderCount()).toBe(before);
    } finally {
      await stack.database.sql`update products set unit_price = 1 where sku = ${free.sku}`;
      await stack.database.sql`alter table products add constraint products_unit_price_positive check (unit_price > 0)`;
    }
  });
});
