import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { summarizeCalls, type LoggedCall } from '../../fuzz/call-log.js';
import { auditWrites, takeSnapshot } from '../../fuzz/write-audit.js';
import { recordOrderEvent } from '../../src/db/order-event-log.js';
import { idempotencyKeys, orders, products, stockAdjustments, webhookDeliveries, webhookEndpoints } from '../../src/db/schema.js';
import { webhookDispatcherWorkflowId } from '../../src/workflows/webhook-messages.js';
import { orderWorkflowId } from '../../src/domain/order.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { aPendingOrder, aProduct, insertProducts } from '../support/order-fixtures.js';

/** The audit lists workflows only; a fixed list stands in for the dev server, which other test files share. */
function workflowsListing(ids: string[]): Client {
  return {
    workflow: {
      async *list() {
        for (const workflowId of ids) yield { workflowId };
      },
    },
  } as unknown as Client;
}

const accepted = (...calls: LoggedCall[]) => summarizeCalls(calls).accepted;

describe('the fuzz run’s write audit bites', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('write_audit');
  });
  afterAll(() => database.drop());

  const anOrderCreatedEvent = (orderId: string) =>
    database.db.transaction((tx) =>
      recordOrderEvent(tx, { type: 'order.created', orderId, data: { customerId: 'cus_x', total: { amount: 1, currency: 'USD' }, items: [] } }),
    );
  const anEndpoint = async () => {
    const id = randomUUID();
    await database.db.insert(webhookEndpoints).values({ id, url: 'https://shipping.example/hooks', eventTypes: [], sealedSecret: 'sealed', status: 'ENABLED' });
    return id;
  };

  it('passes a run whose every row and workflow a 2xx accepted', async () => {
    const [keyboard] = await insertProducts(database.db, aProduct());
    const before = await takeSnapshot(database, workflowsListing([]));
    const order = await aPendingOrder(database.db, { lines: [{ product: keyboard, quantity: 1 }] });
    await anOrderCreatedEvent(order.orderId);
    const calls = accepted({ method: 'POST', path: '/orders', status: 202, body: { id: order.orderId } });
    expect(await auditWrites(database, workflowsListing([orderWorkflowId(order.orderId)]), before, calls)).toEqual([]);
  });

  it('reports events, webhook endpoints and deliveries that no 2xx explains', async () => {
    const { db } = database;
    const [keyboard] = await insertProducts(db, aProduct());
    const kept = await anEndpoint();
    const removed = await anEndpoint();
    const before = await takeSnapshot(database, workflowsListing([]));

    // Written as if by refused requests: an order with its event, an endpoint, a change, a removal, a delivery.
    const refused = await aPendingOrder(db, { lines: [{ product: keyboard, quantity: 1 }] });
    await anOrderCreatedEvent(refused.orderId);
    const acceptedOrder = await aPendingOrder(db, { lines: [{ product: keyboard, quantity: 1 }] });
    const stray = await anEndpoint();
    await db.update(webhookEndpoints).set({ url: 'https://elsewhere.example/hooks' }).where(eq(webhookEndpoints.id, kept));
    await db.delete(webhookEndpoints).where(eq(webhookEndpoints.id, removed));
    await db.insert(webhookDeliveries).values({ endpointId: stray, eventId: randomUUID(), eventPosition: 1, eventType: 'order.created', status: 'PENDING' });
    const registered = await anEndpoint();

    const calls = accepted(
      { method: 'POST', path: '/orders', status: 202, body: { id: acceptedOrder.orderId } },
      { method: 'POST', path: '/webhook-endpoints', status: 201, body: { id: registered } },
      { method: 'PATCH', path: `/webhook-endpoints/${kept}`, status: 400, contentType: 'application/problem+json' },
      { method: 'DELETE', path: `/webhook-endpoints/${removed}`, status: 403, contentType: 'application/problem+json' },
    );
    const workflows = workflowsListing([orderWorkflowId(acceptedOrder.orderId), orderWorkflowId(refused.orderId), webhookDispatcherWorkflowId(registered)]);
    const found = Object.fromEntries((await auditWrites(database, workflows, before, calls)).map(({ what, ids }) => [what, ids]));

    expect(found).toEqual({
      'orders no 2xx accepted': [refused.orderId],
      'workflows no accepted order explains': [orderWorkflowId(refused.orderId)],
      'order events for no accepted order': [expect.any(String)],
      'accepted orders without their order.created': [acceptedOrder.orderId],
      'webhook endpoints no 2xx registered': [stray],
      'webhook endpoints changed with no 2xx PATCH': [kept],
      'webhook endpoints gone with no 2xx DELETE': [removed],
      'webhook deliveries to no endpoint a 2xx registered': [expect.stringContaining(stray)],
    });
  });

  it('reports an order, a key, a workflow, a product change, a cancel, an adjustment and stock that no 2xx explains', async () => {
    const { db } = database;
    const [keyboard, mouse] = await insertProducts(db, aProduct(), aProduct({ stockAvailable: 5 }));
    const before = await takeSnapshot(database, workflowsListing([]));

    // Written as if by refused requests: an order with its key, a stray workflow, a renamed product,
    // a cancelled order, a stock adjustment and stock taken with no reservation.
    const refused = await aPendingOrder(db, { lines: [{ product: keyboard, quantity: 1 }] });
    await db.insert(idempotencyKeys).values({ customerId: 'cus_x', key: 'k', requestFingerprint: 'f', orderId: refused.orderId });
    const acceptedOrder = await aPendingOrder(db, { lines: [{ product: keyboard, quantity: 1 }] });
    await anOrderCreatedEvent(acceptedOrder.orderId);
    await db.update(orders).set({ status: 'CANCELLED' }).where(eq(orders.id, acceptedOrder.orderId));
    await db.update(products).set({ name: 'Renamed by a 400' }).where(eq(products.sku, keyboard.sku));
    const adjustment = randomUUID();
    await db.insert(stockAdjustments).values({ id: adjustment, sku: keyboard.sku, quantity: 3, reason: 'x', actor: 'a', idempotencyKey: 'k', stockAfter: 13 });
    await db
      .update(products)
      .set({ stockAvailable: sql`${products.stockAvailable} - 1` })
      .where(eq(products.sku, mouse.sku));

    const calls = accepted(
      { method: 'POST', path: '/orders', status: 202, body: { id: acceptedOrder.orderId } },
      // A refused cancel and a refused PATCH explain nothing.
      { method: 'POST', path: `/orders/${acceptedOrder.orderId}/cancel`, status: 409, contentType: 'application/problem+json' },
      { method: 'PATCH', path: `/products/${keyboard.sku}`, status: 400, contentType: 'application/problem+json' },
    );
    const workflows = workflowsListing([orderWorkflowId(acceptedOrder.orderId), 'order-stray']);
    const found = Object.fromEntries((await auditWrites(database, workflows, before, calls)).map(({ what, ids }) => [what, ids]));

    expect(found).toEqual({
      'orders no 2xx accepted': [refused.orderId],
      'idempotency keys for no accepted order': [refused.orderId],
      'workflows no accepted order explains': ['order-stray'],
      'products whose name, price or currency changed with no 2xx PATCH': [keyboard.sku],
      'orders CANCELLED with no 2xx cancel': [acceptedOrder.orderId],
      'stock adjustments no 2xx accepted': [adjustment],
      // The keyboard's adjustment was never accepted, and the mouse lost a unit nobody holds.
      'SKUs whose stock moved other than by an accepted order or adjustment': expect.arrayContaining([keyboard.sku, mouse.sku]),
    });
  });
});

describe('the fuzz run’s call log', () => {
  it('singles out 5xx answers, 4xx answers that are not problem+json, and requests with no answer', () => {
    const summary = summarizeCalls([
      { method: 'GET', path: '/orders', status: 200, contentType: 'application/json' },
      { method: 'POST', path: '/orders', status: 400, contentType: 'application/problem+json; charset=utf-8' },
      { method: 'POST', path: '/orders', status: 400, contentType: null },
      { method: 'POST', path: '/orders', status: 415, contentType: 'text/plain' },
      { method: 'POST', path: '/orders', status: 500, contentType: 'application/problem+json' },
      { method: 'POST', path: '/orders', status: null, error: 'ReadTimeout' },
    ]);
    expect(summary.calls).toBe(6);
    expect(summary.serverErrors.map((c) => c.status)).toEqual([500]);
    expect(summary.clientErrorsNotProblemJson.map((c) => c.contentType)).toEqual([null, 'text/plain']);
    expect(summary.unanswered.map((c) => c.error)).toEqual(['ReadTimeout']);
  });
});
