import { and, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import type { Database } from '../../src/db/client.js';
import { notifications, orders } from '../../src/db/schema.js';

/** One order as the read model recorded it, on PostgreSQL's clock. */
export interface OrderFacts {
  id: string;
  status: string;
  /** When the API accepted it (the intake transaction). */
  createdMs: number;
  /** When it last changed status: for a finished order, when it reached its final status. */
  updatedMs: number;
  /** When the confirmation was delivered, if it was. */
  notifiedMs: number | null;
}

const CHUNK = 1000;

export async function orderFacts(db: Database, ids: string[]): Promise<OrderFacts[]> {
  const facts: OrderFacts[] = [];
  for (let at = 0; at < ids.length; at += CHUNK) {
    const rows = await db
      .select({ id: orders.id, status: orders.status, createdAt: orders.createdAt, updatedAt: orders.updatedAt, notifiedAt: notifications.deliveredAt })
      .from(orders)
      .leftJoin(notifications, and(eq(notifications.orderId, orders.id), eq(notifications.kind, 'ORDER_CONFIRMED')))
      .where(inArray(orders.id, ids.slice(at, at + CHUNK)));
    for (const row of rows) {
      facts.push({
        id: row.id,
        status: row.status,
        createdMs: row.createdAt.getTime(),
        updatedMs: row.updatedAt.getTime(),
        notifiedMs: row.notifiedAt?.getTime() ?? null,
      });
    }
  }
  return facts;
}

/** How many of these orders have had their confirmation delivered: the saga's last step. */
export async function countNotified(db: Database, ids: string[]): Promise<number> {
  let notified = 0;
  for (let at = 0; at < ids.length; at += CHUNK) {
    const [row] = await db
      .select({ count: sql<number>`count(*)::int` })
      .from(notifications)
      .where(and(inArray(notifications.orderId, ids.slice(at, at + CHUNK)), isNotNull(notifications.deliveredAt)));
    notified += row?.count ?? 0;
  }
  return notified;
}
