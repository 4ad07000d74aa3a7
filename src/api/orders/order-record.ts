import { randomUUID } from 'node:crypto';
import { sql, type Column } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { takeEventLogLock } from '../../db/order-event-log.js';
import { idempotencyKeys, orderEvents, orderItems, orders } from '../../db/schema.js';
import type { OrderLine } from '../../domain/order.js';
import { bySku } from '../../domain/sku-order.js';

export interface NewOrder {
  id: string;
  customerId: string;
  total: number;
  currency: string;
  paymentToken: string;
  lines: OrderLine[];
}

/** The (customer, Idempotency-Key) an order is recorded under, with the request's fingerprint. */
export interface KeyToClaim {
  key: string;
  fingerprint: string;
}

const columns = (...list: Column[]) =>
  sql.join(
    list.map((column) => sql.identifier(column.name)),
    sql`, `,
  );

/**
 * Records a new PENDING order, its lines and its `order.created` event, and claims its
 * Idempotency-Key, in one statement: one round trip, atomic without a transaction, where a
 * transaction of its own took seven. The order is inserted only when the key's insert succeeded, so
 * a key already taken records nothing and answers undefined. A concurrent request with the same key
 * waits on the key's primary key until the first statement ends, then finds it taken: one of them
 * records an order.
 *
 * The event is inserted after the event log's lock is taken (its insert reads from `event_log_lock`),
 * and the lock is held until the statement's own transaction commits: the rule every event insert
 * follows (src/db/order-event-log.ts), so the feed's positions commit in order.
 *
 * Answers the order's row as recorded (its timestamps from PostgreSQL's clock).
 */
export async function recordOrder(db: Database, order: NewOrder, claim?: KeyToClaim): Promise<typeof orders.$inferSelect | undefined> {
  const claimKey = claim
    ? sql`claim AS (
        INSERT INTO ${idempotencyKeys} (${columns(idempotencyKeys.customerId, idempotencyKeys.key, idempotencyKeys.requestFingerprint, idempotencyKeys.orderId)})
        VALUES (${order.customerId}, ${claim.key}, ${claim.fingerprint}, ${order.id})
        ON CONFLICT DO NOTHING
        RETURNING 1
      ),`
    : sql``;
  const lines = JSON.stringify(order.lines.map(({ sku, quantity, unitPrice }) => ({ sku, quantity, unit_price: unitPrice })));
  const created = JSON.stringify({ customerId: order.customerId, total: { amount: order.total, currency: order.currency }, items: [...order.lines].sort(bySku) });
  const rows = await db.execute<{ created_at: string; updated_at: string }>(sql`
    WITH ${claimKey} placed AS (
      INSERT INTO ${orders} (${columns(orders.id, orders.customerId, orders.status, orders.totalAmount, orders.currency, orders.paymentToken)})
      SELECT ${order.id}::uuid, ${order.customerId}::text, 'PENDING', ${order.total}::integer, ${order.currency}::text, ${order.paymentToken}::text
      ${claim ? sql`WHERE EXISTS (SELECT 1 FROM claim)` : sql``}
      RETURNING ${columns(orders.id, orders.createdAt, orders.updatedAt)}
    ), placed_lines AS (
      INSERT INTO ${orderItems} (${columns(orderItems.orderId, orderItems.sku, orderItems.quantity, orderItems.unitPrice)})
      SELECT placed.id, line.sku, line.quantity, line.unit_price
      FROM placed, json_to_recordset(${lines}::json) AS line(sku text, quantity integer, unit_price integer)
    ), event_log_lock AS (
      ${takeEventLogLock}
    ), placed_event AS (
      INSERT INTO ${orderEvents} (${columns(orderEvents.id, orderEvents.type, orderEvents.orderId, orderEvents.customerId, orderEvents.data)})
      SELECT ${randomUUID()}::uuid, 'order.created', placed.id, ${order.customerId}::text, ${created}::jsonb
      FROM placed, event_log_lock
    )
    SELECT ${columns(orders.createdAt, orders.updatedAt)} FROM placed`);
  const [row] = rows;
  if (!row) return undefined;
  return {
    id: order.id,
    customerId: order.customerId,
    status: 'PENDING',
    failureReason: null,
    failureDetail: null,
    totalAmount: order.total,
    currency: order.currency,
    paymentId: null,
    paymentToken: order.paymentToken,
    refundPending: false,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  };
}
