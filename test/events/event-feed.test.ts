import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../devstack/wait-for.js';
import type { EventPage } from '../../src/api/events/index.js';
import type { WebhookDeliveryList, WebhookEndpoint } from '../../src/api/webhooks/index.js';
import { orders } from '../../src/db/schema.js';
import type { OrderEvent } from '../../src/domain/order-events.js';
import { isFinal, type OrderStatus } from '../../src/domain/order-status.js';
import { simulatorLedger } from '../../chaos/invariants/money.js';
import { findOrderEventViolations, readOrderEventFacts } from '../../chaos/invariants/order-events.js';
import { anOrderRequest, call } from '../support/api-client.js';
import { aProduct } from '../support/order-fixtures.js';
import { startOrderStack, type OrderStack } from '../support/order-stack.js';
import { fastSagaTimings } from '../support/saga-timings.js';
import { startWebhookReceiver } from '../support/webhook-receiver.js';

const keyboard = aProduct({ stockAvailable: 10_000 });
let stack: OrderStack;

beforeAll(async () => {
  // A long window: the failing endpoints below must still be retrying when the orders are done.
  // 200 sagas at once on two shared cores: deadlines long enough that load alone fails no order and times out no start.
  stack = await startOrderStack({
    catalogue: [keyboard],
    sagaTimings: fastSagaTimings({ stepAttemptTimeoutMs: 30_000, paymentAttemptTimeoutMs: 30_000, inventoryDeadlineMs: 300_000, paymentDeadlineMs: 300_000 }),
    api: { temporalDeadlines: { callMs: 60_000 } },
    webhooks: { timings: { retryWindowMs: 10 * 60_000 } },
  });
});
afterAll(() => stack?.stop());

async function readFeedFrom(after: string, token?: string): Promise<{ events: OrderEvent[]; cursor: string }> {
  const events: OrderEvent[] = [];
  let cursor = after;
  for (;;) {
    const { body, status } = await call<EventPage>(stack.apiUrl, 'GET', `/events?after=${cursor}&limit=500`, undefined, {}, token ? { token } : {});
    expect(status).toBe(200);
    events.push(...body.data);
    if (body.data.length === 0) return { events, cursor };
    cursor = body.nextCursor;
  }
}

interface PlacedOrders {
  orderIds: string[];
}

/**
 * Places each order under an Idempotency-Key and retries a 503 (or 429) with the same key, as a
 * client should: the overload protection may shed a POST (nothing placed), or answer a start it
 * could not finish with a 503 naming the order it kept (the retry starts that same order). Any
 * other answer fails the test.
 */
async function placeOrders(count: number, customerId: (i: number) => string, deadlineMs = 120_000): Promise<PlacedOrders> {
  const placeOne = async (i: number): Promise<string> => {
    const key = `feed-${randomUUID()}`;
    const deadline = Date.now() + deadlineMs;
    let kept: string | undefined;
    for (;;) {
      const response = await call<{ id?: string; orderId?: string }>(
        stack.apiUrl,
        'POST',
        '/orders',
        anOrderRequest({ customerId: customerId(i), items: [{ sku: keyboard.sku, quantity: 1 }] }),
        { 'idempotency-key': key },
      );
      if (response.status === 202 || response.status === 200) {
        if (kept !== undefined) expect(response.body.id).toBe(kept);
        return response.body.id!;
      }
      expect([503, 429], `POST /orders answered ${response.status}: ${JSON.stringify(response.body)}`).toContain(response.status);
      kept = response.body.orderId ?? kept;
      if (Date.now() > deadline) throw new Error(`order ${i} still refused after ${deadlineMs} ms: ${response.status}`);
      // A client's pause before it retries (Retry-After is 1 s), not a wait for a state.
      await sleep(250);
    }
  };
  const orderIds = await Promise.all(Array.from({ length: count }, (_, i) => placeOne(i)));
  return { orderIds };
}

/** Watches the read model (not the API, which the test should not load with 200 polls a turn) until every order has a final status. */
async function waitUntilSettled(orderIds: string[], timeoutMs = 150_000): Promise<Map<string, string>> {
  return waitFor(
    `${orderIds.length} orders to settle`,
    async () => {
      const rows = await stack.database.db
        .select({ id: orders.id, status: orders.status, refundPending: orders.refundPending })
        .from(orders)
        .where(inArray(orders.id, orderIds));
      const settled = rows.filter((row) => isFinal(row.status as OrderStatus) && !row.refundPending);
      if (settled.length < orderIds.length) throw new Error(`${settled.length} of ${orderIds.length} settled`);
      return new Map(rows.map((row) => [row.id, row.status]));
    },
    { timeoutMs, intervalMs: 250 },
  );
}

/** For the small runs beside the load test, where nothing should fail. */
async function waitUntilCompleted(orderIds: string[], timeoutMs = 150_000): Promise<void> {
  const statuses = await waitUntilSettled(orderIds, timeoutMs);
  expect([...statuses.values()].filter((status) => status !== 'COMPLETED')).toEqual([]);
}

describe('GET /events', () => {
  it('under 200 concurrent orders, a reader that follows the cursor while they run sees every event once, in position order', async () => {
    const { cursor: start } = await readFeedFrom('0');
    const followed: OrderEvent[] = [];
    let cursor = start;
    let writing = true;
    // Follows the feed as a consumer would, concurrently with the writers, until they are done and it has caught up.
    const follower = (async () => {
      for (;;) {
        const { body } = await call<EventPage>(stack.apiUrl, 'GET', `/events?after=${cursor}&limit=50`);
        followed.push(...body.data);
        cursor = body.nextCursor;
        if (body.data.length === 0 && !writing) return;
        // A consumer's polling pace when it has caught up; a full page is followed at once.
        if (body.data.length === 0) await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();
    const { orderIds } = await placeOrders(200, (i) => `cus_feed_${i % 10}`, 240_000);
    // 200 sagas on two shared cores: minutes when other suites run beside this one. Some may fail
    // under that load (a payment deadline): the feed must tell their story as exactly as the rest's.
    const statuses = await waitUntilSettled(orderIds, 540_000);
    writing = false;
    await follower;

    const { events: everything } = await readFeedFrom(start);
    const ids = followed.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(everything.map((e) => e.id));
    const positions = followed.map((e) => Number(e.position));
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    // Every transition has exactly one event: each order's events against what the read model and the ledger say happened.
    const ours = followed.filter((e) => orderIds.includes(e.orderId));
    const { facts } = await readOrderEventFacts(stack.database.db, simulatorLedger(stack.database.db));
    const violations = facts
      .filter((order) => orderIds.includes(order.id))
      .flatMap((order) =>
        findOrderEventViolations(
          order,
          ours.filter((e) => e.orderId === order.id).map((e) => ({ ...e, position: Number(e.position) })),
        ),
      );
    expect(violations).toEqual([]);
    const completed = orderIds.filter((id) => statuses.get(id) === 'COMPLETED');
    for (const id of completed)
      expect(ours.filter((e) => e.orderId === id).map((e) => e.type)).toEqual(['order.created', 'order.reserved', 'order.paid', 'order.completed']);

    // A customer token reads its own orders' events only, all of them.
    const { events: mine } = await readFeedFrom(start, stack.customerToken('cus_feed_3'));
    const theirs = new Set(orderIds.filter((_, i) => i % 10 === 3));
    expect(mine.map((e) => e.id)).toEqual(ours.filter((e) => theirs.has(e.orderId)).map((e) => e.id));
    expect(mine.every((e) => e.type !== 'order.created' || e.data.customerId === 'cus_feed_3')).toBe(true);
  }, 600_000);

  it('filters by type and refuses a cursor or type it did not issue', async () => {
    await waitUntilCompleted((await placeOrders(2, () => 'cus_filter')).orderIds);
    const { body } = await call<EventPage>(stack.apiUrl, 'GET', '/events?type=order.paid,order.completed&limit=20');
    expect(body.data.length).toBeGreaterThan(0);
    expect(body.data.every((e) => e.type === 'order.paid' || e.type === 'order.completed')).toBe(true);
    expect((await call(stack.apiUrl, 'GET', '/events?type=order.shipped')).status).toBe(400);
    expect((await call(stack.apiUrl, 'GET', '/events?after=-1')).status).toBe(400);
  });
});

describe('a dead receiver', () => {
  it('does not hold orders up: they all complete while its deliveries still retry, and a healthy endpoint gets every event', async () => {
    // One receiver that answers 500, one that never answers at all, one that is healthy.
    const failing = await startWebhookReceiver();
    failing.answer = () => 500;
    const hanging: Server = createServer(() => {});
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    const healthy = await startWebhookReceiver();
    const register = async (url: string) => (await call<WebhookEndpoint>(stack.apiUrl, 'POST', '/webhook-endpoints', { url })).body;
    const dead = [await register(failing.url), await register(`http://127.0.0.1:${(hanging.address() as AddressInfo).port}/hooks`)];
    const good = await register(healthy.url);

    const { orderIds } = await placeOrders(10, () => 'cus_dead_receiver');
    await waitUntilCompleted(orderIds);

    for (const endpoint of dead) {
      const { body } = await call<WebhookDeliveryList>(stack.apiUrl, 'GET', `/webhook-endpoints/${endpoint.id}/deliveries`);
      expect(body.data.some((d) => d.status === 'DELIVERED')).toBe(false);
      expect((await call<WebhookEndpoint>(stack.apiUrl, 'GET', `/webhook-endpoints/${endpoint.id}`)).body.status).toBe('ENABLED');
    }
    expect(failing.requests.length).toBeGreaterThan(0);
    const received = await waitFor('the healthy endpoint to get all 40 events', async () => {
      const ours = [...healthy.accepted.values()].filter((e) => orderIds.includes(e.orderId));
      return ours.length === 40 ? ours : undefined;
    });
    const ourEvents = new Set(received.map((e) => e.id));
    // The receiver's 2xx comes before the dispatcher records the delivery: wait for the record too.
    await waitFor("the healthy endpoint's 40 deliveries recorded", async () => {
      const { body: deliveries } = await call<WebhookDeliveryList>(stack.apiUrl, 'GET', `/webhook-endpoints/${good.id}/deliveries?limit=200`);
      const delivered = deliveries.data.filter((d) => d.status === 'DELIVERED' && ourEvents.has(d.eventId)).length;
      return delivered === 40 ? delivered : undefined;
    });

    for (const endpoint of [...dead, good]) expect((await call(stack.apiUrl, 'DELETE', `/webhook-endpoints/${endpoint.id}`)).status).toBe(204);
    await failing.close();
    await healthy.close();
    hanging.closeAllConnections();
    await new Promise((resolve) => hanging.close(resolve));
  }, 240_000);
});
