import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { charges as gatewayCharges } from '../../simulators/payment-gateway/schema.js';
import type { OrderSummary } from '../../src/api/orders/index.js';
import { orderItems, orders, reservations } from '../../src/db/schema.js';
import { orderWorkflowId } from '../../src/domain/order.js';
import { anOrderRequest, call, waitForOrderStatus } from '../../test/support/api-client.js';
import { startOrderStack, type OrderStack } from '../../test/support/order-stack.js';
import { checkInvariants } from './check-invariants.js';

const KEYBOARD = { sku: 'KBD-001', name: 'Mechanical keyboard', unitPrice: 8900, currency: 'USD', stockAvailable: 20 };

/**
 * The checker bites: on a real stack with one sound order, planted faults are each reported with
 * the order they are about, and the sound order is reported for nothing.
 */
describe('checkInvariants', () => {
  let stack: OrderStack;
  beforeAll(async () => {
    stack = await startOrderStack({ catalogue: [KEYBOARD] });
  });
  afterAll(() => stack?.stop());

  const db = () => stack.database.db;

  /** A COMPLETED order row as the saga leaves it, with no workflow behind it. */
  async function aCompletedRow(status: 'COMPLETED' | 'FAILED'): Promise<string> {
    const orderId = randomUUID();
    await db().insert(orders).values({ id: orderId, customerId: 'cus_planted', status, totalAmount: KEYBOARD.unitPrice, currency: 'USD' });
    await db().insert(orderItems).values({ orderId, sku: KEYBOARD.sku, quantity: 1, unitPrice: KEYBOARD.unitPrice });
    return orderId;
  }
  const aCharge = (orderId: string, key: string) =>
    db()
      .insert(gatewayCharges)
      .values({
        id: `ch_${randomUUID().slice(0, 12)}`,
        idempotencyKey: key,
        orderId,
        amount: KEYBOARD.unitPrice,
        currency: 'USD',
        tokenLast4: 'visa',
        status: 'succeeded',
        requestFingerprint: 'planted',
      });

  it('reports a planted double charge, a leaked reservation and a lost order; a real completed order is clean', async () => {
    const placed = await call<OrderSummary>(stack.apiUrl, 'POST', '/orders', anOrderRequest({ customerId: 'cus_sound' }), { 'idempotency-key': 'sound-1' });
    expect(placed.status).toBe(202);
    const sound = placed.body.id;
    await waitForOrderStatus(stack.apiUrl, sound, ['COMPLETED']);
    await stack.temporal.workflow.getHandle(orderWorkflowId(sound)).result(); // its notification is sent after the status

    const doubleCharged = await aCompletedRow('COMPLETED');
    await aCharge(doubleCharged, `order-${doubleCharged}-charge`);
    await aCharge(doubleCharged, `retry-${doubleCharged}`);
    const leaked = await aCompletedRow('FAILED');
    await db().insert(reservations).values({ orderId: leaked, sku: KEYBOARD.sku, quantity: 1, status: 'HELD' });
    const lost = randomUUID(); // the API said 202 for it; nothing else knows it

    const { violations } = await checkInvariants({
      db: db(),
      temporal: stack.temporal,
      taskQueue: stack.taskQueue,
      accepted: [
        { orderId: sound, customerId: 'cus_sound', idempotencyKey: 'sound-1' },
        { orderId: lost, customerId: 'cus_lost', idempotencyKey: 'lost-1' },
      ],
    });

    expect(violations).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ group: 'money', rule: 'double-charge', orderId: doubleCharged }),
        expect.objectContaining({ group: 'stock', rule: 'held-for-final-order', orderId: leaked, sku: KEYBOARD.sku }),
        expect.objectContaining({ group: 'orders', rule: 'accepted-without-row', orderId: lost }),
        expect.objectContaining({ group: 'orders', rule: 'accepted-without-workflow', orderId: lost }),
      ]),
    );
    expect(violations.filter((v) => v.orderId === sound)).toEqual([]);
  });
});
