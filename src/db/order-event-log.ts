import { randomUUID } from 'node:crypto';
import { and, asc, eq, gt, inArray, sql, type SQL } from 'drizzle-orm';
import { EVENT_SOURCE, EVENT_SPEC_VERSION, type NewOrderEvent, type OrderEvent, type OrderEventType } from '../domain/order-events.js';
import type { Database } from './client.js';
import { orderEvents, orders } from './schema.js';

type Executor = Pick<Database, 'execute' | 'select' | 'insert'>;

/**
 * One key for every event insert. Held from the insert to the end of its transaction, it makes the
 * transactions that insert events commit one at a time, in the order they took their positions: a
 * reader that sees position N has seen every position below N that will ever commit. Without it, a
 * transaction that took 41 could commit after one that took 42, and a reader between the two would
 * move its cursor past 41 for good. ('ordE' in ASCII.)
 */
const EVENT_LOG_LOCK = 0x6f726445;

/** Takes the event log's lock for the rest of the transaction; a statement that inserts an event must run it first. */
export const takeEventLogLock = sql`select pg_advisory_xact_lock(${EVENT_LOG_LOCK})`;

/**
 * Records a transition's event in the caller's transaction, once per (order, type): a retried
 * activity that repeats the write records nothing. Call it as the transaction's last statement,
 * because the lock it takes is held until the commit. Returns whether this call recorded it.
 */
export async function recordOrderEvent(tx: Executor, event: NewOrderEvent): Promise<boolean> {
  await tx.execute(takeEventLogLock);
  // The customer is the order's, read in the same statement, so a customer's feed needs no join.
  const inserted = await tx.execute<{ position: string }>(sql`
    insert into ${orderEvents} (id, type, order_id, customer_id, data)
    select ${randomUUID()}, ${event.type}, ${orders.id}, ${orders.customerId}, ${JSON.stringify(event.data)}::jsonb
    from ${orders} where ${orders.id} = ${event.orderId}
    on conflict (order_id, type) do nothing
    returning position`);
  return inserted.length > 0;
}

/**
 * Removes the events of an order that is being withdrawn, in the caller's transaction with the
 * delete of its row: the one order whose workflow certainly never started and that no
 * Idempotency-Key leads back to (src/api/orders/failed-start.ts). Its `order.created` would
 * otherwise stay in the feed for an order that does not exist, and be delivered to every endpoint.
 */
export async function withdrawOrderEvents(tx: Pick<Database, 'delete'>, orderId: string): Promise<void> {
  await tx.delete(orderEvents).where(eq(orderEvents.orderId, orderId));
}

type EventRow = typeof orderEvents.$inferSelect;

export function toOrderEvent(row: EventRow): OrderEvent {
  return {
    specVersion: EVENT_SPEC_VERSION,
    id: row.id,
    type: row.type as OrderEventType,
    source: EVENT_SOURCE,
    createdAt: row.createdAt.toISOString(),
    orderId: row.orderId,
    position: String(row.position),
    data: row.data as Record<string, unknown>,
  };
}

export interface EventFeedQuery {
  /** Events after this position; 0 reads from the start. */
  after: number;
  limit: number;
  types?: readonly string[];
  /** Only this customer's orders' events (a customer token's feed). */
  customerId?: string;
}

/** One page of the feed in position order, read in one statement (one snapshot); see EVENT_LOG_LOCK for why it never skips. */
export async function readOrderEvents(db: Pick<Database, 'select'>, query: EventFeedQuery): Promise<OrderEvent[]> {
  const filters: SQL[] = [gt(orderEvents.position, query.after)];
  if (query.types && query.types.length > 0) filters.push(inArray(orderEvents.type, [...query.types]));
  if (query.customerId !== undefined) filters.push(eq(orderEvents.customerId, query.customerId));
  const rows = await db
    .select()
    .from(orderEvents)
    .where(and(...filters))
    .orderBy(asc(orderEvents.position))
    .limit(query.limit);
  return rows.map(toOrderEvent);
}

/** The last position any reader can see now: where a new webhook endpoint starts, so it gets only what happens next. */
export async function latestEventPosition(db: Pick<Database, 'execute'>): Promise<number> {
  const [row] = await db.execute<{ position: string | null }>(sql`select max(position) as position from ${orderEvents}`);
  return Number(row?.position ?? 0);
}
