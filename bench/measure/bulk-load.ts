import type postgres from 'postgres';

/**
 * Runs `load` in one transaction with the order tables' secondary indexes and order_items' keys
 * (its primary key, its foreign keys) dropped, and puts them back from their own definitions
 * before it commits: PostgreSQL's advice for populating a database ("Populating a Database" in its
 * manual), since building an index once over sorted rows is far cheaper than growing it a row at
 * a time, and one join validates a foreign key faster than a trigger per row. orders' primary key
 * stays: other tables' keys may point at it. If the load fails, the rollback puts all back as it was.
 */
export async function withIndexesBuiltAfter(sql: postgres.Sql, load: (tx: postgres.TransactionSql) => Promise<void>): Promise<{ rebuildMs: number }> {
  let rebuildMs = 0;
  await sql.begin(async (tx) => {
    const keys = await tx<{ name: string; definition: string; kind: string }[]>`
      SELECT conname AS name, pg_get_constraintdef(oid) AS definition, contype AS kind
      FROM pg_constraint WHERE conrelid = 'order_items'::regclass AND contype IN ('p', 'f')
      ORDER BY contype DESC`;
    const indexes = await tx<{ name: string; definition: string }[]>`
      SELECT indexname AS name, indexdef AS definition FROM pg_indexes
      WHERE schemaname = current_schema() AND tablename = 'orders'
        AND indexname NOT IN (SELECT conname FROM pg_constraint WHERE conrelid = 'orders'::regclass)`;
    for (const key of keys) await tx`ALTER TABLE order_items DROP CONSTRAINT ${tx(key.name)}`;
    for (const index of indexes) await tx`DROP INDEX ${tx(index.name)}`;
    await load(tx);
    const began = Date.now();
    await tx`SET LOCAL maintenance_work_mem = '256MB'`;
    for (const index of indexes) await tx.unsafe(index.definition);
    // The primary key first ('p' sorts after 'f' above, so reverse): the foreign keys' checks can use it.
    for (const key of [...keys].reverse()) await tx.unsafe(`ALTER TABLE order_items ADD CONSTRAINT "${key.name}" ${key.definition}`);
    rebuildMs = Date.now() - began;
  });
  return { rebuildMs };
}
