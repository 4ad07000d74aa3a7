import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { charges as gatewayCharges } from '../../simulators/payment-gateway/schema.js';
import type { OrderSummary } from '../../src/api/orders/index.js';
import { and, eq } from 'drizzle-orm';
import type { WebhookEndpoint } from '../../src/api/webhooks/index.js';
import { orderEvents, orderItems, orders, reservations, webhookDeliveries, webhookEndpoints } from '../../src/db/schema.js';
import { orderWorkflowId } from '../../src/domain/order.js';
import { anOrderRequest, call, waitForOrderStatus } from '../../test/support/api-client.js';
import { startOrderStack, type OrderStack } from '../../test/support/order-stack.js';
import { waitFor } from '../../devstack/wait-for.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../test/support/webhook-receiver.js';
import { checkInvariants } from './check-invariants.js';

const KEYBOARD = { sku: 'KBD-001', name: 'Mechanical keyboard', unitPrice: 8900, currency: 'USD', stockAvailable: 20 };

/**
 * The checker bites: on a real stack with one sound order, planted faults are each reported with
 * the order they are about, and the sound order is reported for nothing.
 */
describe('checkInvariants', () => {
  let stack: OrderStack;
  let receiver: WebhookReceiver;
  beforeAll(async () => {
    stack = await startOrderStack({ catalogue: [KEYBOARD], webhooks: {} });
    receiver = await startWebhookReceiver();
  });
  afterAll(async () => {
    await stack?.stop();
    await receiver?.close();
  });

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

  /** An order placed over the API and seen through to its end, notification included. */
  async function aCompletedOrder(customerId: string, key: string): Promise<string> {
    const placed = await call<OrderSummary>(stack.apiUrl, 'POST', '/orders', anOrderRequest({ customerId }), { 'idempotency-key': key });
    expect(placed.status).toBe(202);
    await waitForOrderStatus(stack.apiUrl, placed.body.id, ['COMPLETED']);
    await stack.temporal.workflow.getHandle(orderWorkflowId(placed.body.id)).result();
    return placed.body.id;
  }

  const deliveredOf = async (endpointId: string, orderId: string) =>
    (
      await db()
        .select({ eventId: webhookDeliveries.eventId })
        .from(webhookDeliveries)
        .innerJoin(orderEvents, eq(orderEvents.id, webhookDeliveries.eventId))
        .where(and(eq(webhookDeliveries.endpointId, endpointId), eq(webhookDeliveries.status, 'DELIVERED'), eq(orderEvents.orderId, orderId)))
    ).length;

  it('reports a planted missing event and an event an enabled endpoint never got; an order delivered to a healthy endpoint is clean', async () => {
    const healthy = (await call<WebhookEndpoint>(stack.apiUrl, 'POST', '/webhook-endpoints', { url: receiver.url })).body;
    const delivered = await aCompletedOrder('cus_events_sound', 'events-sound-1');
    await waitFor("the sound order's four events at the healthy endpoint", async () => ((await deliveredOf(healthy.id, delivered)) === 4 ? true : undefined));

    // A paid order whose order.paid is gone: the transition happened, its event did not.
    const unrecorded = await aCompletedOrder('cus_events_unrecorded', 'events-unrecorded-1');
    await waitFor('the healthy endpoint to get its events', async () => ((await deliveredOf(healthy.id, unrecorded)) === 4 ? true : undefined));
    await db()
      .delete(orderEvents)
      .where(and(eq(orderEvents.orderId, unrecorded), eq(orderEvents.type, 'order.paid')));
    // An enabled endpoint no dispatcher serves, subscribed to completions: the next order's completion never reaches it.
    const [silent] = await db()
      .insert(webhookEndpoints)
      .values({ id: randomUUID(), url: 'http://127.0.0.1:9/hooks', eventTypes: ['order.completed'], sealedSecret: 'planted', status: 'ENABLED' })
      .returning();
    const undelivered = await aCompletedOrder('cus_events_undelivered', 'events-undelivered-1');
    await waitFor('the healthy endpoint to get its events', async () => ((await deliveredOf(healthy.id, undelivered)) === 4 ? true : undefined));

    const { violations } = await checkInvariants({ db: db(), temporal: stack.temporal, taskQueue: stack.taskQueue });
    const events = violations.filter((v) => v.group === 'events');
    expect(events).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ rule: 'paid-event-missing', orderId: unrecorded }),
        expect.objectContaining({ rule: 'event-not-delivered', orderId: undelivered, detail: expect.stringContaining(`order.completed`) }),
      ]),
    );
    expect(events.filter((v) => v.orderId === undelivered)).toHaveLength(1);
    expect(events.filter((v) => v.orderId === delivered)).toEqual([]);
    expect(violations.filter((v) => v.orderId === delivered)).toEqual([]);
    await db().delete(webhookEndpoints).where(eq(webhookEndpoints.id, silent!.id));
    expect((await call(stack.apiUrl, 'DELETE', `/webhook-endpoints/${healthy.id}`)).status).toBe(204);
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
