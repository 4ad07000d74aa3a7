import { asc, eq } from 'drizzle-orm';
import type { Database } from '../../src/db/client.js';
import { orderEvents, orders, reservations, webhookDeliveries, webhookEndpoints } from '../../src/db/schema.js';
import { isFinal, type OrderStatus } from '../../src/domain/order-status.js';
import type { OrderEventType } from '../../src/domain/order-events.js';
import type { GatewayLedger } from './money.js';
import { groupBy, type Violation } from './violation.js';

/** The event each final status owes; a final event of another kind is a transition that never happened. */
const FINAL_EVENT: Partial<Record<OrderStatus, OrderEventType>> = {
  COMPLETED: 'order.completed',
  FAILED: 'order.failed',
  CANCELLED: 'order.cancelled',
};
const FINAL_EVENTS = new Set<string>(Object.values(FINAL_EVENT));

/** What the read model and the gateway's ledger say happened to one order: the transitions it owes an event. */
export interface OrderTransitionFacts {
  id: string;
  status: OrderStatus;
  failureReason: string | null;
  /** Set by the move to PAID, and only by it. */
  paymentId: string | null;
  /** The order has reservation rows: stock was claimed for it (held, committed or released). */
  claimedStock: boolean;
  /** The gateway holds a refund for it that moved money (not a voided key). */
  refunded: boolean;
}

/** An event as the checks need it. */
export interface EventFact {
  type: string;
  position: number;
  data: unknown;
}

/** A stored event, with what the delivery check needs. */
export interface StoredEventFact extends EventFact {
  id: string;
  orderId: string;
  createdAt: Date;
}

/**
 * Every transition has exactly one event, and no event names a transition that did not happen:
 * created always; reserved when the order was paid or completed (PAID comes only from RESERVED),
 * never without stock claimed; paid exactly when the read model has the payment; refunded exactly
 * when the gateway refunded money; and the one final event of the final status, with its reason.
 * Pure, so the feed test and the chaos checker judge an order by the same rules.
 */
export function findOrderEventViolations(order: OrderTransitionFacts, events: readonly EventFact[]): Violation[] {
  const violations: Violation[] = [];
  const at = (rule: string, detail: string) => violations.push({ group: 'events', rule, orderId: order.id, detail });
  const ofType = groupBy(events, (e) => e.type);
  const has = (type: OrderEventType) => ofType.has(type);
  for (const [type, repeated] of ofType) if (repeated.length > 1) at('event-repeated', `${repeated.length} ${type} events`);

  const first = [...events].sort((a, b) => a.position - b.position)[0];
  if (!has('order.created')) at('created-event-missing', `a ${order.status} order with no order.created`);
  else if (first?.type !== 'order.created') at('created-event-not-first', `${first?.type} comes before order.created`);

  const owed = FINAL_EVENT[order.status];
  if (owed && !has(owed)) at('final-event-missing', `a ${order.status} order with no ${owed}`);
  const wrongFinal = [...ofType.keys()].filter((type) => FINAL_EVENTS.has(type) && type !== owed);
  if (wrongFinal.length > 0) at('final-event-without-status', `a ${order.status} order has ${wrongFinal.join(', ')}`);
  const failed = ofType.get('order.failed')?.[0]?.data as { reason?: string | null } | undefined;
  if (order.status === 'FAILED' && failed && (failed.reason ?? null) !== order.failureReason) {
    at('failed-event-reason-differs', `order.failed says ${failed.reason ?? 'null'}, the order ${order.failureReason ?? 'null'}`);
  }

  const paid = order.paymentId !== null;
  if (paid && !has('order.paid')) at('paid-event-missing', `paid with ${order.paymentId} and no order.paid`);
  if (!paid && has('order.paid')) at('paid-event-without-payment', 'order.paid for an order with no payment recorded');
  const paidWith = (ofType.get('order.paid')?.[0]?.data as { paymentId?: string } | undefined)?.paymentId;
  if (paid && paidWith !== undefined && paidWith !== order.paymentId) at('paid-event-differs', `order.paid names ${paidWith}, the order ${order.paymentId}`);

  if ((paid || order.status === 'COMPLETED') && !has('order.reserved')) at('reserved-event-missing', `a ${order.status} order with no order.reserved`);
  if (has('order.reserved') && !order.claimedStock) at('reserved-event-without-stock', 'order.reserved with no reservation rows');

  if (order.refunded && !has('order.refunded')) at('refunded-event-missing', 'the gateway refunded it and no order.refunded');
  if (!order.refunded && has('order.refunded')) at('refunded-event-without-refund', 'order.refunded with no refund in the ledger');
  if (!isFinal(order.status) && events.some((e) => FINAL_EVENTS.has(e.type))) at('final-event-before-status', `a ${order.status} order has a final event`);
  return violations;
}

/** Every order's facts and events, from the order tables and the gateway's ledger. */
export async function readOrderEventFacts(db: Database, ledger: GatewayLedger): Promise<{ facts: OrderTransitionFacts[]; events: StoredEventFact[] }> {
  const [rows, claimed, refunds, events] = await Promise.all([
    db.select({ id: orders.id, status: orders.status, failureReason: orders.failureReason, paymentId: orders.paymentId }).from(orders),
    db.selectDistinct({ orderId: reservations.orderId }).from(reservations),
    ledger.refunds(),
    db
      .select({
        id: orderEvents.id,
        orderId: orderEvents.orderId,
        type: orderEvents.type,
        position: orderEvents.position,
        data: orderEvents.data,
        createdAt: orderEvents.createdAt,
      })
      .from(orderEvents)
      .orderBy(asc(orderEvents.position)),
  ]);
  const withStock = new Set(claimed.map((r) => r.orderId));
  const refunded = new Set(refunds.filter((r) => r.status === 'succeeded').map((r) => r.orderId));
  const facts = rows.map((row) => ({ ...row, status: row.status as OrderStatus, claimedStock: withStock.has(row.id), refunded: refunded.has(row.id) }));
  return { facts, events };
}

/**
 * Every event reaches every endpoint that is enabled and subscribed to its type: an accepted
 * (DELIVERED) delivery exists. Only events after the endpoint was last changed count, since an
 * endpoint starts at the feed's end when it is created or enabled again, and a change of its types
 * applies from then on. Checked once deliveries have drained.
 */
export async function findDeliveryViolations(db: Database, events: readonly StoredEventFact[]): Promise<Violation[]> {
  const violations: Violation[] = [];
  const endpoints = await db.select().from(webhookEndpoints).where(eq(webhookEndpoints.status, 'ENABLED'));
  for (const endpoint of endpoints) {
    const deliveries = await db
      .select({ eventId: webhookDeliveries.eventId, status: webhookDeliveries.status, attempts: webhookDeliveries.attempts })
      .from(webhookDeliveries)
      .where(eq(webhookDeliveries.endpointId, endpoint.id));
    const byEvent = new Map(deliveries.map((d) => [d.eventId, d]));
    const subscribed = (type: string) => endpoint.eventTypes.length === 0 || endpoint.eventTypes.includes(type);
    for (const event of events) {
      if (event.createdAt <= endpoint.updatedAt || !subscribed(event.type)) continue;
      const delivery = byEvent.get(event.id);
      if (delivery?.status === 'DELIVERED') continue;
      const state = delivery ? `${delivery.status} after ${delivery.attempts} attempts` : 'never attempted';
      violations.push({
        group: 'events',
        rule: 'event-not-delivered',
        orderId: event.orderId,
        detail: `${event.type} (${event.id}) to endpoint ${endpoint.id}: ${state}`,
      });
    }
  }
  return violations;
}

/** The events group of the checker: every order's transitions against its events, events of no order, and the deliveries. */
export async function findEventViolations({ db, ledger }: { db: Database; ledger: GatewayLedger }): Promise<Violation[]> {
  const { facts, events } = await readOrderEventFacts(db, ledger);
  const byOrder = groupBy(events, (e) => e.orderId);
  const violations = facts.flatMap((order) => findOrderEventViolations(order, byOrder.get(order.id) ?? []));
  const known = new Set(facts.map((f) => f.id));
  for (const [orderId, orphaned] of byOrder) {
    if (!known.has(orderId)) violations.push({ group: 'events', rule: 'event-without-order', orderId, detail: orphaned.map((e) => e.type).join(', ') });
  }
  return [...violations, ...(await findDeliveryViolations(db, events))];
}
