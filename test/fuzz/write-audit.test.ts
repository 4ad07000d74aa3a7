import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { summarizeCalls, type LoggedCall } from '../../fuzz/call-log.js';
import { auditWrites, takeSnapshot } from '../../fuzz/write-audit.js';
import { idempotencyKeys, orders, products, stockAdjustments } from '../../src/db/schema.js';
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

  it('passes a run whose every row and workflow a 2xx accepted', async () => {
    const [keyboard] = await insertProducts(database.db, aProduct());
    const before = await takeSnapshot(database, workflowsListing([]));
    const order = await aPendingOrder(database.db, { lines: [{ product: keyboard, quantity: 1 }] });
    const calls = accepted({ method: 'POST', path: '/orders', status: 202, body: { id: order.orderId } });
    expect(await auditWrites(database, workflowsListing([orderWorkflowId(order.orderId)]), before, calls)).toEqual([]);
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
