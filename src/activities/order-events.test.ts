import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.js';
import { serveGatewaySimulator, testGatewayClient } from '../../test/support/gateway-simulator.js';
import type { ServedApp } from '../../test/support/http.js';
import { aPendingOrder, aProduct, insertProducts } from '../../test/support/order-fixtures.js';
import { orderEvents } from '../db/schema.js';
import { TEST_TOKENS } from '../payments/contract.js';
import { createInventoryActivities } from './inventory.js';
import { createOrderRecordActivities } from './order-records.js';
import { createPaymentActivities } from './payments.js';

let database: TestDatabase;
let server: ServedApp;
let activities: ReturnType<typeof createInventoryActivities> & ReturnType<typeof createPaymentActivities> & ReturnType<typeof createOrderRecordActivities>;

beforeAll(async () => {
  database = await createTestDatabase('order_events');
  server = await serveGatewaySimulator(database);
  const { db } = database;
  activities = { ...createInventoryActivities(db), ...createPaymentActivities(db, testGatewayClient(server.baseUrl, 2_000)), ...createOrderRecordActivities(db) };
});
afterAll(async () => {
  await server.close();
  await database.drop();
});

const eventsOf = (orderId: string) =>
  database.db
    .select({ type: orderEvents.type, data: orderEvents.data, customerId: orderEvents.customerId })
    .from(orderEvents)
    .where(eq(orderEvents.orderId, orderId))
    .orderBy(asc(orderEvents.position));

async function aPendingOrderFor2Keyboards() {
  const [keyboard] = await insertProducts(database.db, aProduct({ unitPrice: 8900, stockAvailable: 10 }));
  return { keyboard, order: await aPendingOrder(database.db, { lines: [{ product: keyboard, quantity: 2 }], customerId: 'cus_events' }) };
}

describe('order events, recorded by the activity that makes the transition', () => {
  it('records reserved, paid and completed once each, even when every step runs twice', async () => {
    const { keyboard, order } = await aPendingOrderFor2Keyboards();
    const charge = { orderId: order.orderId, total: order.total, paymentToken: TEST_TOKENS.visa };
    for (let run = 0; run < 2; run++) {
      await activities.reserveStock(order);
      await activities.chargePayment(charge);
      await activities.confirmOrder(order);
    }
    const events = await eventsOf(order.orderId);
    expect(events.map((e) => e.type)).toEqual(['order.reserved', 'order.paid', 'order.completed']);
    expect(events.every((e) => e.customerId === 'cus_events')).toBe(true);
    expect(events[0]!.data).toEqual({ lines: [{ sku: keyboard.sku, quantity: 2 }] });
    expect(events[1]!.data).toMatchObject({ amount: { amount: 17_800, currency: 'USD' }, paymentId: expect.stringMatching(/.+/) });
    expect(events[2]!.data).toEqual({ total: { amount: 17_800, currency: 'USD' } });
  });

  it('records a failure with its reason, and no event for a declined charge that never moved the order', async () => {
    const { order } = await aPendingOrderFor2Keyboards();
    await activities.reserveStock(order);
    await expect(activities.chargePayment({ orderId: order.orderId, total: order.total, paymentToken: TEST_TOKENS.declined })).rejects.toThrow(/declined/i);
    await activities.refundPayment({ orderId: order.orderId });
    await activities.recordOrderOutcome({ orderId: order.orderId, status: 'FAILED', reason: 'PAYMENT_DECLINED', detail: 'card_declined' });
    await activities.recordOrderOutcome({ orderId: order.orderId, status: 'FAILED', reason: 'PAYMENT_DECLINED', detail: 'card_declined' });
    const events = await eventsOf(order.orderId);
    // The refund only voided the charge key: nothing was charged, so nothing was refunded.
    expect(events.map((e) => e.type)).toEqual(['order.reserved', 'order.failed']);
    expect(events[1]!.data).toEqual({ reason: 'PAYMENT_DECLINED', detail: 'card_declined' });
  });

  it('records a cancellation after payment, then the refund with its amount, once', async () => {
    const { order } = await aPendingOrderFor2Keyboards();
    await activities.reserveStock(order);
    await activities.chargePayment({ orderId: order.orderId, total: order.total, paymentToken: TEST_TOKENS.visa });
    await activities.recordOrderOutcome({ orderId: order.orderId, status: 'CANCELLED', detail: 'changed my mind', refundPending: true });
    await activities.refundPayment({ orderId: order.orderId });
    await activities.refundPayment({ orderId: order.orderId });
    const events = await eventsOf(order.orderId);
    expect(events.map((e) => e.type)).toEqual(['order.reserved', 'order.paid', 'order.cancelled', 'order.refunded']);
    expect(events[2]!.data).toEqual({ detail: 'changed my mind' });
    expect(events[3]!.data).toMatchObject({ refundId: expect.stringMatching(/.+/), amount: { amount: 17_800, currency: 'USD' } });
  });
});
