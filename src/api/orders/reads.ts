import { and, asc, eq, gte, inArray, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { orderItems, orders } from '../../db/schema.js';
import type { FailureReason, OrderStatus } from '../../domain/order-status.js';
import { decodeCursor, encodeCursor } from './list-cursor.js';
import { orderNotFound } from './order-problems.js';
import type { ListOrdersQuery } from './request-schemas.js';
import type { OrderList, OrderSummary } from './schemas.js';

type OrderRow = typeof orders.$inferSelect;
type ItemRow = typeof orderItems.$inferSelect;

export function toSummary(order: OrderRow, items: Pick<ItemRow, 'sku' | 'quantity' | 'unitPrice'>[]): OrderSummary {
  return {
    id: order.id,
    customerId: order.customerId,
    status: order.status as OrderStatus,
    failureReason: (order.failureReason as FailureReason | null) ?? null,
    refundPending: order.refundPending,
    total: { amount: order.totalAmount, currency: order.currency },
    items: [...items].sort((a, b) => a.sku.localeCompare(b.sku)).map(({ sku, quantity, unitPrice }) => ({ sku, quantity, unitPrice })),
    createdAt: order.createdAt.toISOString(),
    updatedAt: order.updatedAt.toISOString(),
  };
}

async function withItems(db: Database, rows: OrderRow[]): Promise<OrderSummary[]> {
  if (rows.length === 0) return [];
  const items = await db
    .select()
    .from(orderItems)
    .where(
      inArray(
        orderItems.orderId,
        rows.map((r) => r.id),
      ),
    )
    .orderBy(asc(orderItems.sku));
  return rows.map((row) =>
    toSummary(
      row,
      items.filter((item) => item.orderId === row.id),
    ),
  );
}

export async function findOrder(db: Database, id: string): Promise<OrderSummary | undefined> {
  const rows = await db.select().from(orders).where(eq(orders.id, id));
  return (await withItems(db, rows))[0];
}

export async function getOrder(db: Database, id: string): Promise<OrderSummary> {
  const order = await findOrder(db, id);
  if (!order) throw orderNotFound(id);
  return order;
}

/** Newest first, paged by an opaque keyset cursor on (created_at, id), so pages stay stable under inserts. */
export async function listOrders(db: Database, query: ListOrdersQuery): Promise<OrderList> {
  const filters: SQL[] = [];
  if (query.customerId) filters.push(eq(orders.customerId, query.customerId));
  if (query.status) filters.push(eq(orders.status, query.status));
  if (query.createdFrom) filters.push(gte(orders.createdAt, new Date(query.createdFrom)));
  if (query.createdTo) filters.push(lt(orders.createdAt, new Date(query.createdTo)));
  if (query.cursor) {
    const after = decodeCursor(query.cursor);
    const createdAt = new Date(after.createdAt);
    filters.push(or(lt(orders.createdAt, createdAt), and(eq(orders.createdAt, createdAt), lt(orders.id, after.id)))!);
  }
  const rows = await db
    .select()
    .from(orders)
    .where(and(...filters))
    // NULLS LAST, as the indexes are declared (drizzle's default): a plain DESC means NULLS FIRST, which
    // no index here can give in order, so PostgreSQL read every matching row and sorted them (a month
    // of one status at a million orders: thousands of rows for a page of 20). Both columns are NOT NULL.
    .orderBy(sql`${orders.createdAt} desc nulls last`, sql`${orders.id} desc nulls last`)
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  const nextCursor = rows.length > query.limit && last ? encodeCursor({ createdAt: last.createdAt.toISOString(), id: last.id }) : null;
  return { data: await withItems(db, page), nextCursor };
}
