import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { PgDialect, type PgSession } from 'drizzle-orm/pg-core';
import type { DatabaseHandle } from './client.js';

export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../../drizzle', import.meta.url));

/** Any fixed 64-bit number: every process that migrates takes this lock, so they migrate one at a time. */
const MIGRATION_LOCK = 7_233_001;

/**
 * Applies the committed drizzle-kit migrations. Safe to call from every process at every start.
 *
 * Everything runs in one transaction on one connection, the one that holds the lock: drizzle's
 * `migrate(db)` would take a second connection from the pool while this one waits, which never
 * comes with DATABASE_POOL_SIZE=1. Drizzle's own dialect still decides what to apply and records
 * it in drizzle.__drizzle_migrations, exactly as `migrate(db)` does.
 */
export async function migrateDatabase({ db }: Pick<DatabaseHandle, 'db'>, migrationsFolder = MIGRATIONS_FOLDER): Promise<void> {
  const migrations = readMigrationFiles({ migrationsFolder });
  await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${MIGRATION_LOCK})`);
    // The few session calls the dialect makes, all on this transaction; its own "transaction" is this one.
    const onThisConnection = {
      execute: (query: Parameters<typeof tx.execute>[0]) => tx.execute(query),
      all: (query: Parameters<typeof tx.execute>[0]) => tx.execute(query),
      transaction: <T>(run: (inner: typeof tx) => Promise<T>) => run(tx),
    };
    await new PgDialect().migrate(migrations, onThisConnection as unknown as PgSession, { migrationsFolder });
  });
}
