import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateGatewayDatabase } from '../../simulators/payment-gateway/migrate.js';
import { charges as gatewayCharges } from '../../simulators/payment-gateway/schema.js';
import { orderItems, orders, products, reservations } from '../../src/db/schema.js';
import type { OrderStatus } from '../../src/domain/order-status.js';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.js';
import { findMoneyViolations } from './money.js';
import { aProduct, insertProducts } from '../../test/support/order-fixtures.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase('money_invariants');
  await migrateGatewayDatabase(database);
});
afterAll(() => database.drop());

const KEYBOARD_PRICE = 8900;

/** An order row with one keyboard line, in `status`, as the saga would have left it; nothing else. */
async function anOrder(sku: string, status: OrderStatus): Promise<string> {
  const orderId = randomUUID();
  await database.db.insert(orders).values({ id: orderId, customerId: 'cus_invariants', status, totalAmount: KEYBOARD_PRICE, currency: 'USD' });
  await database.db.insert(orderItems).values({ orderId, sku, quantity: 1, unitPrice: KEYBOARD_PRICE });
  return orderId;
}

async function aGatewayCharge(orderId: string, key = `order-${orderId}-charge`): Promise<void> {
  await database.db.insert(gatewayCharges).values({
    id: `ch_${randomUUID().slice(0, 12)}`,
    idempotencyKey: key,
    orderId,
    amount: KEYBOARD_PRICE,
    currency: 'USD',
    tokenLast4: 'visa',
    status: 'succeeded',
    requestFingerprint: 'planted',
  });
}

/** The stock a keyboard sold (or held) by the saga leaves: one less. */
const takeOne = (sku: string) =>
  database.db
    .update(products)
    .set({ stockAvailable: sql`${products.stockAvailable} - 1` })
    .where(eq(products.sku, sku));

describe('findMoneyViolations', () => {
  it('reports a double charge, a leaked reservation and a lost order, each with its order id, and nothing about a sound order', async () => {
    const [keyboard] = await insertProducts(database.db, aProduct({ stockAvailable: 10 }));
    const sound = await anOrder(keyboard.sku, 'COMPLETED');
    await aGatewayCharge(sound);
    await database.db.insert(reservations).values({ orderId: sound, sku: keyboard.sku, quantity: 1, status: 'COMMITTED' });
    await takeOne(keyboard.sku);

    const doubleCharged = await anOrder(keyboard.sku, 'COMPLETED');
    await aGatewayCharge(doubleCharged);
    await aGatewayCharge(doubleCharged, `retry-${doubleCharged}`);
    await takeOne(keyboard.sku);

    const leaked = await anOrder(keyboard.sku, 'FAILED');
    await database.db.insert(reservations).values({ orderId: leaked, sku: keyboard.sku, quantity: 1, status: 'HELD' });
    await takeOne(keyboard.sku);

    const lost = randomUUID();
    await aGatewayCharge(lost);

    const violations = await findMoneyViolations({ db: database.db, initialStock: { [keyboard.sku]: 10 } });

    expect(violations).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ rule: 'double-charge', orderId: doubleCharged }),
        expect.objectContaining({ rule: 'completed-not-charged-its-total', orderId: doubleCharged }),
        expect.objectContaining({ rule: 'held-for-final-order', orderId: leaked, sku: keyboard.sku }),
        expect.objectContaining({ rule: 'stock-does-not-add-up', orderId: null, sku: keyboard.sku }),
        expect.objectContaining({ rule: 'charge-without-order', orderId: lost }),
      ]),
    );
    expect(violations.filter((v) => v.orderId === sound)).toEqual([]);
  });

  it('reports nothing for a completed order charged once and a failed order whose stock came back', async () => {
    const [keyboard] = await insertProducts(database.db, aProduct({ stockAvailable: 5 }));
    const completed = await anOrder(keyboard.sku, 'COMPLETED');
    await aGatewayCharge(completed);
    await takeOne(keyboard.sku);
    const failed = await anOrder(keyboard.sku, 'FAILED');
    await database.db.insert(reservations).values({ orderId: failed, sku: keyboard.sku, quantity: 1, status: 'RELEASED' });

    const violations = await findMoneyViolations({ db: database.db, initialStock: { [keyboard.sku]: 5 } });

    expect(violations.filter((v) => v.orderId === completed || v.orderId === failed || v.sku === keyboard.sku)).toEqual([]);
  });
});
