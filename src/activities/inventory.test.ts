import { randomUUID } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.js';
import { aPendingOrder, aProduct, insertProducts, orderRow, reservationsOf, stockOf, uniqueSku } from '../../test/support/order-fixtures.js';
import { createInventoryActivities, inLockOrder } from './inventory.js';

let database: TestDatabase;
let inventory: ReturnType<typeof createInventoryActivities>;

beforeAll(async () => {
  database = await createTestDatabase('inventory');
  inventory = createInventoryActivities(database.db);
});
afterAll(() => database.drop());

describe('reserveStock', () => {
  it('holds stock once when the same reservation runs twice, one after the other', async () => {
    const { db } = database;
    const [keyboard] = await insertProducts(db, aProduct({ stockAvailable: 10 }));
    const order = await aPendingOrder(db, { lines: [{ product: keyboard, quantity: 2 }] });

    await inventory.reserveStock(order);
    await inventory.reserveStock(order);

    expect(await stockOf(db, keyboard.sku)).toBe(8);
    expect(await reservationsOf(db, order.orderId)).toEqual([{ sku: keyboard.sku, quantity: 2, status: 'HELD' }]);
    expect((await orderRow(db, order.orderId)).status).toBe('RESERVED');
  });

  it('holds stock once when two executions of the same reservation race', async () => {
    const { db } = database;
    const [keyboard, mouse] = await insertProducts(db, aProduct({ stockAvailable: 10 }), aProduct({ sku: uniqueSku('MSE'), stockAvailable: 10 }));
    const order = await aPendingOrder(db, {
      lines: [
        { product: keyboard, quantity: 2 },
        { product: mouse, quantity: 1 },
      ],
    });

    await Promise.all([inventory.reserveStock(order), inventory.reserveStock(order)]);

    expect(await stockOf(db, keyboard.sku)).toBe(8);
    expect(await stockOf(db, mouse.sku)).toBe(9);
    expect(await reservationsOf(db, order.orderId)).toHaveLength(2);
    expect((await orderRow(db, order.orderId)).status).toBe('RESERVED');
  });

  it('takes nothing when one line is short: the lines before it are put back, and the order stays PENDING', async () => {
    const { db } = database;
    // Lines are taken in SKU order, so the keyboard (KBD-…) is taken before the short desk mat (MAT-…) fails.
    const keyboard = aProduct({ sku: uniqueSku('KBD'), stockAvailable: 10 });
    const deskMat = aProduct({ sku: uniqueSku('MAT'), name: 'Limited edition desk mat', unitPrice: 4500, stockAvailable: 1 });
    await insertProducts(db, keyboard, deskMat);
    const order = await aPendingOrder(db, {
      lines: [
        { product: keyboard, quantity: 2 },
        { product: deskMat, quantity: 2 },
      ],
    });

    const reserving = inventory.reserveStock(order);

    await expect(reserving).rejects.toBeInstanceOf(ApplicationFailure);
    await expect(reserving).rejects.toMatchObject({ type: 'OutOfStock', nonRetryable: true, details: [{ sku: deskMat.sku, requested: 2 }] });
    expect(await stockOf(db, keyboard.sku)).toBe(10);
    expect(await stockOf(db, deskMat.sku)).toBe(1);
    expect(await reservationsOf(db, order.orderId)).toEqual([]);
    expect((await orderRow(db, order.orderId)).status).toBe('PENDING');
  });

  it('refuses a SKU the catalogue does not have as an invalid order, holding nothing', async () => {
    const { db } = database;
    const [keyboard] = await insertProducts(db, aProduct({ stockAvailable: 10 }));
    const order = await aPendingOrder(db, { lines: [{ product: keyboard, quantity: 1 }] });
    const unknownSku = uniqueSku('ZZZ');

    const reserving = inventory.reserveStock({ orderId: order.orderId, lines: [...order.lines, { sku: unknownSku, quantity: 1 }] });

    await expect(reserving).rejects.toBeInstanceOf(ApplicationFailure);
    await expect(reserving).rejects.toMatchObject({ type: 'InvalidOrder', nonRetryable: true, details: [{ sku: unknownSku }] });
    expect(await stockOf(db, keyboard.sku)).toBe(10);
    expect(await reservationsOf(db, order.orderId)).toEqual([]);
    expect((await orderRow(db, order.orderId)).status).toBe('PENDING');
  });

  it('reserves exactly 5 when 20 orders of one unit each compete for the last 5 desk mats', async () => {
    const { db } = database;
    const [deskMat] = await insertProducts(db, aProduct({ sku: uniqueSku('LTD'), name: 'Limited edition desk mat', stockAvailable: 5 }));
    const orders = await Promise.all(Array.from({ length: 20 }, () => aPendingOrder(db, { lines: [{ product: deskMat, quantity: 1 }] })));

    const outcomes = await Promise.allSettled(orders.map((order) => inventory.reserveStock(order)));

    const refusals = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as unknown] : []));
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(5);
    expect(refusals).toHaveLength(15);
    for (const refusal of refusals) {
      expect(refusal).toBeInstanceOf(ApplicationFailure);
      expect(refusal).toMatchObject({ type: 'OutOfStock', nonRetryable: true });
    }
    expect(await stockOf(db, deskMat.sku)).toBe(0);
    const held = (await Promise.all(orders.map((order) => reservationsOf(db, order.orderId)))).flat();
    expect(held).toEqual(Array.from({ length: 5 }, () => ({ sku: deskMat.sku, quantity: 1, status: 'HELD' })));
    const statuses = await Promise.all(orders.map(async (order) => (await orderRow(db, order.orderId)).status));
    expect(statuses.filter((s) => s === 'RESERVED')).toHaveLength(5);
    expect(statuses.filter((s) => s === 'PENDING')).toHaveLength(15);
  });
});

describe('releaseStock', () => {
  async function aReservedOrder(stock: number, quantity: number) {
    const { db } = database;
    const [keyboard] = await insertProducts(db, aProduct({ stockAvailable: stock }));
    const order = await aPendingOrder(db, { lines: [{ product: keyboard, quantity }] });
    await inventory.reserveStock(order);
    return { order, sku: keyboard.sku };
  }

  it('returns the stock once when the release runs twice', async () => {
    const { db } = database;
    const { order, sku } = await aReservedOrder(10, 3);

    const first = await inventory.releaseStock(order);
    const second = await inventory.releaseStock(order);

    expect([first, second]).toEqual([{ releasedLines: 1 }, { releasedLines: 0 }]);
    expect(await stockOf(db, sku)).toBe(10);
    expect(await reservationsOf(db, order.orderId)).toEqual([{ sku, quantity: 3, status: 'RELEASED' }]);
  });

  it('returns the stock once when two releases race', async () => {
    const { db } = database;
    const { order, sku } = await aReservedOrder(10, 3);

    const results = await Promise.all([inventory.releaseStock(order), inventory.releaseStock(order)]);

    expect(results.map((r) => r.releasedLines).sort()).toEqual([0, 1]);
    expect(await stockOf(db, sku)).toBe(10);
    expect(await reservationsOf(db, order.orderId)).toEqual([{ sku, quantity: 3, status: 'RELEASED' }]);
  });

  it('does nothing for an order that holds nothing', async () => {
    const { db } = database;
    const [keyboard] = await insertProducts(db, aProduct({ stockAvailable: 10 }));

    expect(await inventory.releaseStock({ orderId: randomUUID() })).toEqual({ releasedLines: 0 });
    expect(await stockOf(db, keyboard.sku)).toBe(10);
  });

  it('closes the lines it never held, so a reservation that lands after the release takes no stock', async () => {
    const { db } = database;
    const [keyboard] = await insertProducts(db, aProduct({ stockAvailable: 10 }));
    const order = await aPendingOrder(db, { lines: [{ product: keyboard, quantity: 4 }] });

    await inventory.releaseStock(order);
    await expect(inventory.reserveStock(order)).rejects.toMatchObject({ type: 'OutOfStock', nonRetryable: true });

    expect(await stockOf(db, keyboard.sku)).toBe(10);
    expect(await reservationsOf(db, order.orderId)).toEqual([{ sku: keyboard.sku, quantity: 4, status: 'RELEASED' }]);
    expect((await orderRow(db, order.orderId)).status).toBe('PENDING');
  });

  it('fails again, holding nothing, when a reservation that failed and was released runs again (a replay after a worker crash)', async () => {
    // The lean saga runs reserve and its release as local activities in one workflow task; a worker killed
    // before that task completed leaves neither in the history, so the next worker runs the reservation again.
    const { db } = database;
    const [keyboard, deskMat] = await insertProducts(db, aProduct({ sku: uniqueSku('KBD'), stockAvailable: 10 }), aProduct({ sku: uniqueSku('MAT'), stockAvailable: 1 }));
    const order = await aPendingOrder(db, {
      lines: [
        { product: keyboard, quantity: 2 },
        { product: deskMat, quantity: 2 },
      ],
    });

    await expect(inventory.reserveStock(order)).rejects.toMatchObject({ type: 'OutOfStock' });
    await inventory.releaseStock(order);
    await expect(inventory.reserveStock(order)).rejects.toMatchObject({ type: 'OutOfStock', nonRetryable: true });

    expect(await stockOf(db, keyboard.sku)).toBe(10);
    expect(await stockOf(db, deskMat.sku)).toBe(1);
    expect((await reservationsOf(db, order.orderId)).map((r) => r.status)).toEqual(['RELEASED', 'RELEASED']);
    expect((await orderRow(db, order.orderId)).status).toBe('PENDING');
  });

  it('leaves no stock held when reservations and their releases race, whoever wins each race', async () => {
    const { db } = database;
    const [keyboard] = await insertProducts(db, aProduct({ stockAvailable: 100 }));
    const orders = await Promise.all(Array.from({ length: 20 }, () => aPendingOrder(db, { lines: [{ product: keyboard, quantity: 2 }] })));

    // A reservation that lands after its release fails (OutOfStock): which one wins each race is not the point.
    await Promise.allSettled(orders.flatMap((order) => [inventory.reserveStock(order), inventory.releaseStock(order)]));

    expect(await stockOf(db, keyboard.sku)).toBe(100);
    for (const order of orders) expect((await reservationsOf(db, order.orderId)).map((r) => r.status)).toEqual(['RELEASED']);
  });
});

describe('the lock order of a reservation', () => {
  it('sorts SKUs by code unit, the same whatever the locale: upper case before lower case', () => {
    const lines = ['kbd-1', 'KBD-2', 'Kbd-3', 'äbc-4', 'abc-5'].map((sku) => ({ sku, quantity: 1 }));

    expect(inLockOrder(lines).map((line) => line.sku)).toEqual(['KBD-2', 'Kbd-3', 'abc-5', 'kbd-1', 'äbc-4']);
  });
});
