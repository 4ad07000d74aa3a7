import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.js';
import { aPendingOrder, aProduct, insertProducts, orderRow, reservationsOf, stockOf } from '../../test/support/order-fixtures.js';
import { createInventoryActivities } from './inventory.js';
import { createOrderRecordActivities } from './order-records.js';
import { transitionOrder } from './order-transitions.js';

let database: TestDatabase;
let inventory: ReturnType<typeof createInventoryActivities>;
let records: ReturnType<typeof createOrderRecordActivities>;

beforeAll(async () => {
  database = await createTestDatabase('order_records');
  inventory = createInventoryActivities(database.db);
  records = createOrderRecordActivities(database.db);
});
afterAll(() => database.drop());

/** An order for 2 keyboards out of 10, with the keyboards held. */
async function aReservedOrder() {
  const { db } = database;
  const [keyboard] = await insertProducts(db, aProduct({ stockAvailable: 10 }));
  const order = await aPendingOrder(db, { lines: [{ product: keyboard, quantity: 2 }] });
  await inventory.reserveStock(order);
  return { ...order, sku: keyboard.sku };
}

/** The same order after the gateway took the money; payments.test.ts covers the charge itself. */
async function aPaidOrder() {
  const order = await aReservedOrder();
  await transitionOrder(database.db, order.orderId, 'PAID', { paymentId: 'ch_test' });
  return order;
}

describe('confirmOrder', () => {
  it('completes a paid order once when confirmed twice, selling the held stock without taking more', async () => {
    const { db } = database;
    const order = await aPaidOrder();

    await records.confirmOrder(order);
    await records.confirmOrder(order);

    expect(await orderRow(db, order.orderId)).toMatchObject({ status: 'COMPLETED', paymentId: 'ch_test', failureReason: null });
    expect(await reservationsOf(db, order.orderId)).toEqual([{ sku: order.sku, quantity: 2, status: 'COMMITTED' }]);
    expect(await stockOf(db, order.sku)).toBe(8);
  });

  it('refuses to complete an order that was never paid, and leaves its stock held', async () => {
    const { db } = database;
    const order = await aReservedOrder();

    await expect(records.confirmOrder(order)).rejects.toThrow(/cannot move to COMPLETED from RESERVED/);

    expect((await orderRow(db, order.orderId)).status).toBe('RESERVED');
    expect(await reservationsOf(db, order.orderId)).toEqual([{ sku: order.sku, quantity: 2, status: 'HELD' }]);
  });
});

describe('recordOrderOutcome', () => {
  it('fails an order once, with its reason, when recorded twice', async () => {
    const { db } = database;
    const order = await aReservedOrder();
    const outcome = { orderId: order.orderId, status: 'FAILED', reason: 'PAYMENT_DECLINED', detail: 'Payment declined: card_declined' } as const;

    await records.recordOrderOutcome(outcome);
    await records.recordOrderOutcome(outcome);

    expect(await orderRow(db, order.orderId)).toMatchObject({ status: 'FAILED', failureReason: 'PAYMENT_DECLINED', failureDetail: 'Payment declined: card_declined' });
  });

  it('keeps only the first 500 characters of a long detail', async () => {
    const { db } = database;
    const order = await aReservedOrder();

    await records.recordOrderOutcome({ orderId: order.orderId, status: 'FAILED', reason: 'PAYMENT_UNAVAILABLE', detail: 'x'.repeat(2_000) });

    expect((await orderRow(db, order.orderId)).failureDetail).toHaveLength(500);
  });
});

describe('an order never moves backwards', () => {
  it('refuses to fail an order that has completed', async () => {
    const { db } = database;
    const order = await aPaidOrder();
    await records.confirmOrder(order);

    await expect(records.recordOrderOutcome({ orderId: order.orderId, status: 'FAILED', reason: 'PAYMENT_DECLINED' })).rejects.toThrow(
      /cannot move to FAILED from COMPLETED/,
    );

    expect(await orderRow(db, order.orderId)).toMatchObject({ status: 'COMPLETED', failureReason: null });
  });

  it('refuses to cancel an order that has already failed', async () => {
    const { db } = database;
    const order = await aReservedOrder();
    await records.recordOrderOutcome({ orderId: order.orderId, status: 'FAILED', reason: 'OUT_OF_STOCK' });

    await expect(records.recordOrderOutcome({ orderId: order.orderId, status: 'CANCELLED' })).rejects.toThrow(/cannot move to CANCELLED from FAILED/);

    expect(await orderRow(db, order.orderId)).toMatchObject({ status: 'FAILED', failureReason: 'OUT_OF_STOCK' });
  });

  it('refuses a late reservation for an order that has failed, and holds no stock for it', async () => {
    const { db } = database;
    const [keyboard] = await insertProducts(db, aProduct({ stockAvailable: 10 }));
    const order = await aPendingOrder(db, { lines: [{ product: keyboard, quantity: 2 }] });
    await records.recordOrderOutcome({ orderId: order.orderId, status: 'FAILED', reason: 'INVENTORY_UNAVAILABLE' });

    await expect(inventory.reserveStock(order)).rejects.toThrow(/cannot move to RESERVED from FAILED/);

    expect((await orderRow(db, order.orderId)).status).toBe('FAILED');
    expect(await stockOf(db, keyboard.sku)).toBe(10);
    expect(await reservationsOf(db, order.orderId)).toEqual([]);
  });

  it('takes a replayed reservation of a COMPLETED order (a workflow reset) as done, and takes no more stock', async () => {
    const { db } = database;
    const order = await aPaidOrder();
    await records.confirmOrder(order);

    await expect(inventory.reserveStock(order)).resolves.toBeUndefined();

    expect(await orderRow(db, order.orderId)).toMatchObject({ status: 'COMPLETED', paymentId: 'ch_test' });
    expect(await stockOf(db, order.sku)).toBe(8);
    expect(await reservationsOf(db, order.orderId)).toMatchObject([{ quantity: 2, status: 'COMMITTED' }]);
  });

  it('takes a replayed PAID with the same payment as done on a PAID or COMPLETED order, and refuses another payment', async () => {
    const { db } = database;
    const paid = await aPaidOrder();
    const completed = await aPaidOrder();
    await records.confirmOrder(completed);

    await expect(transitionOrder(db, paid.orderId, 'PAID', { paymentId: 'ch_test' })).resolves.toBe(false);
    await expect(transitionOrder(db, completed.orderId, 'PAID', { paymentId: 'ch_test' })).resolves.toBe(false);
    await expect(transitionOrder(db, completed.orderId, 'PAID', { paymentId: 'ch_other' })).rejects.toMatchObject({
      type: 'IllegalOrderTransition',
      nonRetryable: true,
    });
    expect(await orderRow(db, completed.orderId)).toMatchObject({ status: 'COMPLETED', paymentId: 'ch_test' });
  });

  it('refuses to move an order that does not exist', async () => {
    await expect(transitionOrder(database.db, '00000000-0000-4000-8000-000000000000', 'RESERVED')).rejects.toThrow(/no such order/);
  });
});
