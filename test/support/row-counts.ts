import type { TestDatabase } from './database.js';

/** How many rows a request can write: an order, its lines, an idempotency key. Equal before and after means it wrote nothing. */
export async function intakeRowCounts(database: TestDatabase): Promise<{ orders: number; items: number; keys: number }> {
  const [row] = await database.sql<{ orders: number; items: number; keys: number }[]>`
    select (select count(*)::int from orders) as orders, (select count(*)::int from order_items) as items, (select count(*)::int from idempotency_keys) as keys`;
  return { ...row! };
}
