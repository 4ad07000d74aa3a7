import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/app.js';
import type { OrderSummary } from '../../src/api/orders/index.js';
import type { TemporalDeadlines } from '../../src/api/orders/temporal-deadlines.js';
import { createLogger } from '../../src/platform/logger.js';
import { anOrderRequest, call, waitForOrderStatus } from '../support/api-client.js';
import { startOrderStack, type OrderStack } from '../support/order-stack.js';

const CATALOGUE = [{ sku: 'KBD-001', name: 'Mechanical keyboard', unitPrice: 8900, currency: 'USD', stockAvailable: 100 }];
const NO_FAULTS = { failureRate: 0, latencyMs: 0, seed: 13, paths: [] };

describe('POST /orders/:id/cancel answers in bounded time', () => {
  let stack: OrderStack;
  beforeAll(async () => {
    stack = await startOrderStack({ catalogue: CATALOGUE, startWorker: false });
  });
  afterAll(() => stack.stop());

  /** The stack's database and Temporal behind an app with other deadlines. */
  const cancelWith = async (deadlines: Partial<TemporalDeadlines>, orderId: string, headers: Record<string, string>) => {
    const app = createApp({
      db: stack.database.db,
      temporal: stack.temporal,
      taskQueue: stack.taskQueue,
      logger: createLogger({ name: 'api', level: 'silent', pretty: false }),
      temporalDeadlines: deadlines,
      tokens: stack.tokens,
    });
    const response = await app.request(`/orders/${orderId}/cancel`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${stack.adminToken}`, ...headers },
      body: JSON.stringify({ reason: 'too slow' }),
    });
    return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, unknown> };
  };
  const placeOrder = async (customerId: string) => (await call<OrderSummary>(stack.apiUrl, 'POST', '/orders', anOrderRequest({ customerId }))).body;

  it('with no worker to accept the cancel: 503 with Retry-After within the deadline; the same key retried with a worker cancels it', async () => {
    const order = await placeOrder('cus_cancel_no_worker');
    const headers = { 'idempotency-key': 'cancel-no-worker' };
    const started = Date.now();
    const refused = await cancelWith({ cancelAcceptMs: 1_000 }, order.id, headers);
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(refused).toMatchObject({ status: 503, body: { type: 'https://orders.example/problems/temporal-unavailable', orderId: order.id } });
    expect(refused.headers.get('retry-after')).toBe('5');
    expect((await call<OrderSummary>(stack.apiUrl, 'GET', `/orders/${order.id}`)).body.status).toBe('PENDING');

    await stack.startWorker();
    const retried = await call<{ status: string }>(stack.apiUrl, 'POST', `/orders/${order.id}/cancel`, { reason: 'too slow' }, headers);
    expect([200, 202]).toContain(retried.status);
    await waitForOrderStatus(stack.apiUrl, order.id, ['CANCELLED']);
  });

  it('with compensations slower than the short wait: 202 with the status and a Location; a retry with the key gets the 200, then replays it', async () => {
    await stack.startWorker();
    await stack.gateway.setFaults({ ...NO_FAULTS, failureRate: 1, paths: ['/charges'] });
    // The release of stock is a local activity, run in the workflow task that accepts the cancel: a lock on the
    // product's row holds it past its local budget, so it falls back to a durable activity and the cancel is
    // accepted while its compensations still wait, which is what the API's short wait then meets.
    let unlock!: () => void;
    const locked = new Promise<void>((resolve) => (unlock = resolve));
    let holding!: () => void;
    const held = new Promise<void>((resolve) => (holding = resolve));
    let lock: Promise<unknown> = Promise.resolve();
    try {
      const order = await placeOrder('cus_cancel_slow');
      await waitForOrderStatus(stack.apiUrl, order.id, ['RESERVED']);
      lock = stack.database.sql.begin(async (tx) => {
        await tx`select 1 from products where sku = 'KBD-001' for update`;
        holding();
        await locked;
      });
      await held;
      const headers = { 'idempotency-key': 'cancel-slow' };
      const accepted = await cancelWith({ cancelAcceptMs: 20_000, cancelSettleMs: 1 }, order.id, headers);
      expect(accepted).toMatchObject({ status: 202, body: { id: order.id, status: 'RESERVED' } });
      expect(accepted.headers.get('location')).toBe(`/orders/${order.id}`);
      unlock();
      await lock;

      await waitForOrderStatus(stack.apiUrl, order.id, ['CANCELLED']);
      const settled = await call(stack.apiUrl, 'POST', `/orders/${order.id}/cancel`, { reason: 'too slow' }, headers);
      expect(settled).toMatchObject({ status: 200, body: { id: order.id, status: 'CANCELLED' } });
      const replayed = await call(stack.apiUrl, 'POST', `/orders/${order.id}/cancel`, { reason: 'too slow' }, headers);
      expect(replayed.status).toBe(200);
      expect(replayed.body).toEqual(settled.body);
      expect(replayed.headers.get('idempotent-replayed')).toBe('true');
      // The local attempt that waited on the lock and the durable release after it: stock comes back once.
      const [product] = await stack.database.sql<{ stock_available: number }[]>`select stock_available from products where sku = 'KBD-001'`;
      expect(product!.stock_available).toBe(100);
    } finally {
      unlock();
      await lock;
      await stack.gateway.setFaults(NO_FAULTS);
    }
  });
});
