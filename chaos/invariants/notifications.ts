import { sql } from 'drizzle-orm';
import type { Database } from '../../src/db/client.js';
import { notifications, orders } from '../../src/db/schema.js';
import type { NotificationKind } from '../../src/domain/order.js';
import { isFinal, type OrderStatus } from '../../src/domain/order-status.js';
import { groupBy, type Violation } from './violation.js';

/** The one notification each final status owes its customer. */
const FINAL_NOTIFICATION: Partial<Record<OrderStatus, NotificationKind>> = {
  COMPLETED: 'ORDER_CONFIRMED',
  FAILED: 'ORDER_FAILED',
  CANCELLED: 'ORDER_CANCELLED',
};

/**
 * At most one notification per (order, kind), and exactly one final notification, delivered, per
 * final order: the one its status owes (a CANCELLED order told it was confirmed is as wrong as one
 * told nothing). The notification window (an hour by default) is far longer than any run, so a
 * missing one is a violation here.
 */
export async function findNotificationViolations(db: Database): Promise<Violation[]> {
  const violations: Violation[] = [];
  const [rows, sent, repeated] = await Promise.all([
    db.select({ id: orders.id, status: orders.status }).from(orders),
    db.select({ orderId: notifications.orderId, kind: notifications.kind, deliveredAt: notifications.deliveredAt }).from(notifications),
    db
      .select({ orderId: notifications.orderId, kind: notifications.kind, count: sql<number>`count(*)::int` })
      .from(notifications)
      .groupBy(notifications.orderId, notifications.kind)
      .having(sql`count(*) > 1`),
  ]);
  const at = (rule: string, orderId: string, detail: string) => violations.push({ group: 'notifications', rule, orderId, detail });
  for (const { orderId, kind, count } of repeated) at('notified-twice', orderId, `${count} ${kind} notifications`);
  const sentByOrder = groupBy(sent, (n) => n.orderId);
  for (const { id, status } of rows) {
    if (!isFinal(status as OrderStatus)) continue;
    const owed = FINAL_NOTIFICATION[status as OrderStatus]!;
    const ofOrder = sentByOrder.get(id) ?? [];
    const owedOne = ofOrder.find((n) => n.kind === owed);
    if (!owedOne) at('final-notification-missing', id, `a ${status} order with no ${owed} notification`);
    else if (!owedOne.deliveredAt) at('final-notification-undelivered', id, `${owed} recorded but never delivered`);
    const others = ofOrder.filter((n) => n.kind !== owed).map((n) => n.kind);
    if (others.length > 0) at('wrong-final-notification', id, `a ${status} order was also sent ${others.join(', ')}`);
  }
  return violations;
}
