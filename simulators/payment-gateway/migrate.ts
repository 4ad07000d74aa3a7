import { fileURLToPath } from 'node:url';
import { drizzle } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import type { DatabaseHandle } from '../../src/db/client.js';

export const GATEWAY_MIGRATIONS_FOLDER = fileURLToPath(new URL('./drizzle', import.meta.url));

/** Differs from the order service's migration lock, so the two never wait on each other. */
const GATEWAY_MIGRATION_LOCK = 7_233_002;

/**
 * Applies the gateway's committed migrations. Its bookkeeping table lives in its own schema, so the
 * order service's migrator and this one never mistake each other's history. Safe at every start.
 */
export async function migrateGatewayDatabase({ sql }: Pick<DatabaseHandle, 'sql'>): Promise<void> {
  await sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(${GATEWAY_MIGRATION_LOCK})`;
    await migrate(drizzle(sql), {
      migrationsFolder: GATEWAY_MIGRATIONS_FOLDER,
      migrationsTable: '__gateway_migrations',
      migrationsSchema: 'payment_gateway',
    });
  });
}
