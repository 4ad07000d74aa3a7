import { fileURLToPath } from 'node:url';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import type { DatabaseHandle } from './client.js';

export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../../drizzle', import.meta.url));

/** Any fixed 64-bit number: every process that migrates takes this lock, so they migrate one at a time. */
const MIGRATION_LOCK = 7_233_001;

/** Applies the committed drizzle-kit migrations. Safe to call from every process at every start. */
export async function migrateDatabase({ db, sql }: DatabaseHandle, migrationsFolder = MIGRATIONS_FOLDER): Promise<void> {
  await sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(${MIGRATION_LOCK})`;
    await migrate(db, { migrationsFolder });
  });
}
