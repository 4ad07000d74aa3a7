import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderSummary } from '../../src/api/orders/index.js';
import { purgeExpiredIdempotencyKeys } from '../../src/api/orders/index.js';
import { anOrderRequest, call, waitForOrderStatus } from '../support/api-client.js';
import { startOrderStack, type OrderStack } from '../support/order-stack.js';

const CATALOGUE = [{ sku: 'KBD-001', name: 'Mechanical keyboard', unitPrice: 8900, currency: 'USD', stockAvailable: 1000 }];
const PARALLEL = 50;

describe('Idempotency-Key semantics on POST /orders', () => {
  let stack: OrderStack;
  beforeAll(async () => {
    stack = await startOrderStack({ catalogue: CATALOGUE });
  });
  afterAll(() => stack.stop());

  async function workflowsOf(customerId: string): Promise<string[]> {
    const ids: string[] = [];
    for await (const execution of stack.temporal.workflow.list({ query: `CustomerId = '${customerId}'` })) ids.push(execution.workflowId);
    return ids;
  }

  it(`${PARALLEL} parallel requests with one key and one body make one order, one workflow and one charge`, async () => {
    const request = anOrderRequest({ customerId: 'cus_parallel_same' });
    const responses = await Promise.all(
      Array.from({ length: PARALLEL }, () => call<OrderSummary>(stack.apiUrl, 'POST', '/orders', request, { 'idempotency-key': 'same-body-key' })),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(PARALLEL).fill(202));
    const ids = new Set(responses.map((r) => r.body.id));
    expect(ids.size).toBe(1);
    const [orderId] = ids;
    // Every response is the first one, byte for byte apart from the replay header.
    expect(new Set(responses.map((r) => JSON.stringify(r.body))).size).toBe(1);
    expect(responses.filter((r) => r.headers.get('idempotent-replayed') === 'true')).toHaveLength(PARALLEL - 1);
    await waitForOrderStatus(stack.apiUrl, orderId!, ['COMPLETED']);
    expect(await stack.gateway.listCharges(orderId!)).toHaveLength(1);
    expect(await workflowsOf('cus_parallel_same')).toHaveLength(1);
  });

  it(`${PARALLEL} parallel requests with one key and different bodies make one order; the rest get 422`, async () => {
    const responses = await Promise.all(
      Array.from({ length: PARALLEL }, (_, i) =>
        call<OrderSummary>(stack.apiUrl, 'POST', '/orders', anOrderRequest({ customerId: 'cus_parallel_diff', items: [{ sku: 'KBD-001', quantity: i + 1 }] }), {
          'idempotency-key': 'different-body-key',
        }),
      ),
    );
    const accepted = responses.filter((r) => r.status === 202);
    expect(accepted).toHaveLength(1);
    expect(responses.filter((r) => r.status === 422)).toHaveLength(PARALLEL - 1);
    expect(responses.find((r) => r.status === 422)?.headers.get('content-type')).toBe('application/problem+json');
    await waitForOrderStatus(stack.apiUrl, accepted[0]!.body.id, ['COMPLETED']);
    expect(await workflowsOf('cus_parallel_diff')).toHaveLength(1);
  });

  it('replays the original 202 even after the order has moved on', async () => {
    const request = anOrderRequest({ customerId: 'cus_replay' });
    const first = await call<OrderSummary>(stack.apiUrl, 'POST', '/orders', request, { 'idempotency-key': 'replay-key' });
    await waitForOrderStatus(stack.apiUrl, first.body.id, ['COMPLETED']);
    const again = await call<OrderSummary>(stack.apiUrl, 'POST', '/orders', request, { 'idempotency-key': 'replay-key' });
    expect(again.status).toBe(202);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
  });

  it('scopes keys by customer: the same key from two customers makes two orders', async () => {
    const a = await call<OrderSummary>(stack.apiUrl, 'POST', '/orders', anOrderRequest({ customerId: 'cus_scope_a' }), { 'idempotency-key': 'shared-key' });
    const b = await call<OrderSummary>(stack.apiUrl, 'POST', '/orders', anOrderRequest({ customerId: 'cus_scope_b' }), { 'idempotency-key': 'shared-key' });
    expect(a.status).toBe(202);
    expect(b.status).toBe(202);
    expect(a.body.id).not.toBe(b.body.id);
  });

  it('makes a new order for every POST without a key', async () => {
    const request = anOrderRequest({ customerId: 'cus_no_key' });
    const first = await call<OrderSummary>(stack.apiUrl, 'POST', '/orders', request);
    const second = await call<OrderSummary>(stack.apiUrl, 'POST', '/orders', request);
    expect(first.body.id).not.toBe(second.body.id);
  });

  it('heals a crash between recording the key and starting the workflow on the client’s retry', async () => {
    const request = anOrderRequest({ customerId: 'cus_crash' });
    const first = await call<OrderSummary>(stack.apiUrl, 'POST', '/orders', request, { 'idempotency-key': 'crash-key' });
    await waitForOrderStatus(stack.apiUrl, first.body.id, ['COMPLETED']);
    // Simulate the crash: the order and key are recorded, but no workflow was ever started for a second order.
    const orphan = '0b8d9c1e-3f0a-4b7e-9d3c-5a1e2f4b6c7d';
    await stack.database.sql`insert into orders (id, customer_id, status, total_amount, currency) values (${orphan}, 'cus_crash', 'PENDING', 8900, 'USD')`;
    await stack.database.sql`insert into order_items (order_id, sku, quantity, unit_price) values (${orphan}, 'KBD-001', 2, 8900)`;
    await stack.database.sql`insert into idempotency_keys (customer_id, key, request_fingerprint, order_id)
      select customer_id, 'crashed-key', request_fingerprint, ${orphan} from idempotency_keys where key = 'crash-key'`;
    const retry = await call<OrderSummary>(stack.apiUrl, 'POST', '/orders', request, { 'idempotency-key': 'crashed-key' });
    expect(retry.status).toBe(202);
    expect(retry.body.id).toBe(orphan);
    expect(await waitForOrderStatus(stack.apiUrl, orphan, ['COMPLETED'])).toMatchObject({ status: 'COMPLETED' });
  });

  it('keeps keys for at least 24 hours, then purges them', async () => {
    await call(stack.apiUrl, 'POST', '/orders', anOrderRequest({ customerId: 'cus_retention' }), { 'idempotency-key': 'old-key' });
    expect(await purgeExpiredIdempotencyKeys(stack.database.db)).toBe(0);
    await stack.database.sql`update idempotency_keys set created_at = now() - interval '25 hours' where key = 'old-key'`;
    expect(await purgeExpiredIdempotencyKeys(stack.database.db)).toBe(1);
  });
});
