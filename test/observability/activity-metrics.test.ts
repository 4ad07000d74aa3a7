import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInventoryActivities } from '../../src/activities/inventory.js';
import { createOrderRecordActivities } from '../../src/activities/order-records.js';
import { transitionOrder } from '../../src/activities/order-transitions.js';
import { orders } from '../../src/db/schema.js';
import { FAILURE_REASONS } from '../../src/domain/order-status.js';
import { createWorkerMetrics } from '../../src/worker/metrics.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { aPendingOrder, aProduct, insertProducts, orderRow } from '../support/order-fixtures.js';
import { parseExposition, Metrics } from './support/scrape.js';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase('activity_metrics');
});
afterAll(() => database.drop());

/** Activities of their own, on a registry of their own, so each scenario starts from zero. */
function activitiesWithMetrics() {
  const metrics = createWorkerMetrics();
  return {
    inventory: createInventoryActivities(database.db, metrics),
    records: createOrderRecordActivities(database.db, metrics),
    read: async () => new Metrics(parseExposition(await metrics.registry.metrics())),
  };
}

async function aPaidOrder(inventory: ReturnType<typeof createInventoryActivities>) {
  const [keyboard] = await insertProducts(database.db, aProduct({ stockAvailable: 10 }));
  const order = await aPendingOrder(database.db, { lines: [{ product: keyboard, quantity: 2 }] });
  await inventory.reserveStock(order);
  await transitionOrder(database.db, order.orderId, 'PAID', { paymentId: 'ch_test' });
  return order;
}

describe('worker metrics count where the final status is written, once', () => {
  it('counts a completed order once when confirmOrder runs twice (a retry after the write), with its duration', async () => {
    const { inventory, records, read } = activitiesWithMetrics();
    const order = await aPaidOrder(inventory);
    // Accepted a minute and a half ago, so its duration cannot pass for zero or for a stray unit.
    await database.db
      .update(orders)
      .set({ createdAt: sql`now() - interval '90 seconds'` })
      .where(eq(orders.id, order.orderId));

    await records.confirmOrder(order);
    await records.confirmOrder(order);

    const metrics = await read();
    expect(metrics.value('orders_completed_total')).toBe(1);
    expect(metrics.value('order_duration_seconds_count', { status: 'COMPLETED' })).toBe(1);
    const { createdAt, updatedAt } = await orderRow(database.db, order.orderId);
    const observedSeconds = metrics.value('order_duration_seconds_sum', { status: 'COMPLETED' });
    expect(observedSeconds).toBeCloseTo((updatedAt.getTime() - createdAt.getTime()) / 1000, 3);
    expect(observedSeconds).toBeGreaterThanOrEqual(90);
  });

  it('counts a failed order once, under its reason, when its outcome is recorded twice', async () => {
    const { inventory, records, read } = activitiesWithMetrics();
    const order = await aPaidOrder(inventory);

    await records.recordOrderOutcome({ orderId: order.orderId, status: 'FAILED', reason: 'PAYMENT_UNAVAILABLE', detail: 'gateway down' });
    await records.recordOrderOutcome({ orderId: order.orderId, status: 'FAILED', reason: 'PAYMENT_UNAVAILABLE', detail: 'gateway down' });

    const metrics = await read();
    expect(metrics.value('orders_failed_total', { reason: 'PAYMENT_UNAVAILABLE' })).toBe(1);
    expect(metrics.sum('orders_failed_total')).toBe(1);
    expect(metrics.value('orders_completed_total')).toBe(0);
  });

  it('counts a cancelled order once, and what its stock release did', async () => {
    const { inventory, records, read } = activitiesWithMetrics();
    const order = await aPaidOrder(inventory);

    await inventory.releaseStock(order);
    await records.recordOrderOutcome({ orderId: order.orderId, status: 'CANCELLED' });
    await records.recordOrderOutcome({ orderId: order.orderId, status: 'CANCELLED' });

    const metrics = await read();
    expect(metrics.value('orders_cancelled_total')).toBe(1);
    expect(metrics.value('orders_compensations_total', { step: 'releaseStock', outcome: 'released' })).toBe(1);
  });

  it('starts every known series at zero, so dashboards see the first event as an increase', async () => {
    const metrics = await activitiesWithMetrics().read();
    expect(
      metrics
        .matching('orders_failed_total')
        .map((s) => s.labels.reason)
        .sort(),
    ).toEqual([...FAILURE_REASONS].sort());
    expect(metrics.matching('payment_attempts_total').map((s) => [s.labels.outcome, s.value])).toEqual([
      ['succeeded', 0],
      ['declined', 0],
      ['unavailable', 0],
    ]);
  });
});
