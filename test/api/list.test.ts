import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderSummary } from '../../src/api/orders/index.js';
import { anOrderRequest, call } from '../support/api-client.js';
import { startOrderStack, type OrderStack } from '../support/order-stack.js';

const CATALOGUE = [{ sku: 'KBD-001', name: 'Mechanical keyboard', unitPrice: 8900, currency: 'USD', stockAvailable: 100 }];
type Page = { data: OrderSummary[]; nextCursor: string | null };

describe('GET /orders: filters, newest first, keyset pages', () => {
  let stack: OrderStack;
  const placed: OrderSummary[] = [];
  beforeAll(async () => {
    stack = await startOrderStack({ catalogue: CATALOGUE });
    for (let i = 0; i < 5; i++) placed.push((await call<OrderSummary>(stack.apiUrl, 'POST', '/orders', anOrderRequest({ customerId: 'cus_pages' }))).body);
  });
  afterAll(() => stack.stop());

  const page = async (query: string) => (await call<Page>(stack.apiUrl, 'GET', `/orders?${query}`)).body;

  it('pages newest first, and an order placed while paging neither repeats nor shifts a page', async () => {
    const first = await page('customerId=cus_pages&limit=2');
    const latecomer = (await call<OrderSummary>(stack.apiUrl, 'POST', '/orders', anOrderRequest({ customerId: 'cus_pages' }))).body;
    const seen = [...first.data];
    let cursor = first.nextCursor;
    while (cursor) {
      const next = await page(`customerId=cus_pages&limit=2&cursor=${cursor}`);
      seen.push(...next.data);
      cursor = next.nextCursor;
    }
    expect(seen.map((o) => o.id)).toEqual([...placed].reverse().map((o) => o.id));
    expect(seen.map((o) => o.id)).not.toContain(latecomer.id);
    expect((await page('customerId=cus_pages&limit=1')).data[0]!.id).toBe(latecomer.id);
  });

  it('filters by creation range: from inclusive, to exclusive', async () => {
    const [, second, third] = placed;
    const inRange = await page(`customerId=cus_pages&createdFrom=${second!.createdAt}&createdTo=${placed[3]!.createdAt}`);
    expect(inRange.data.map((o) => o.id)).toEqual([third!.id, second!.id]);
  });

  it('refuses a page larger than 100 and a cursor it did not issue', async () => {
    expect((await call(stack.apiUrl, 'GET', '/orders?limit=101')).status).toBe(400);
    expect((await call(stack.apiUrl, 'GET', '/orders?cursor=not-ours')).status).toBe(400);
  });
});
