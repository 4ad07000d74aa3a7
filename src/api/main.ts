import { serve } from '@hono/node-server';
import { connectDatabase } from '../db/client.js';
import { migrateDatabase } from '../db/migrate.js';
import { seedCatalogue } from '../db/seed.js';
import { loadApiConfig } from '../platform/config.js';
import { createLogger } from '../platform/logger.js';
import { connectClient, temporalSettings } from '../platform/temporal-connection.js';
import { createApp } from './app.js';

const config = loadApiConfig(process.env);
const logger = createLogger({ name: 'api', level: config.LOG_LEVEL });
const database = connectDatabase(config.DATABASE_URL, { poolSize: config.DATABASE_POOL_SIZE });
await migrateDatabase(database);
await seedCatalogue(database.db);
const temporal = await connectClient(temporalSettings(process.env));

const app = createApp({ db: database.db, temporal, taskQueue: config.TEMPORAL_TASK_QUEUE, logger });
const server = serve({ fetch: app.fetch, port: config.PORT, hostname: config.HOST }, (info) =>
  logger.info({ url: `http://${info.address}:${info.port}` }, 'API listening'),
);

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'API shutting down: no new connections, in-flight requests finish');
  server.close(async () => {
    await temporal.connection.close();
    await database.close();
    logger.info('API stopped');
    process.exit(0);
  });
  setTimeout(() => process.exit(1), 15_000).unref();
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
