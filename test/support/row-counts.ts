import type { TestDatabase } from './database.js';

type RowCounts = { orders: number; items: number; keys: number; events: number; endpoints: number; deliveries: number };

/**
 * How many rows a request can write: an order, its lines, an idempotency key, an event, a webhook
 * endpoint or delivery. Equal before and after means it wrote nothing.
 */
export async function intakeRowCounts(database: TestDatabase): Promise<RowCounts> {
  const [row] = await database.sql<RowCounts[]>`
    select (select count(*)::int from orders) as orders, (select count(*)::int from order_items) as items, (select count(*)::int from idempotency_keys) as keys,
      (select count(*)::int from order_events) as events, (select count(*)::int from webhook_endpoints) as endpoints,
      (select count(*)::int from webhook_deliveries) as deliveries`;
  return { ...row! };
}
