import { serve } from '@hono/node-server';
import { connectDatabase } from '../../src/db/client.js';
import { loadGatewayConfig } from './config.js';
import { createLogger } from '../../src/platform/logger.js';
import { createGatewayApp } from './app.js';
import { createFaultInjector, faultSettingsFromConfig } from './faults.js';
import { migrateGatewayDatabase } from './migrate.js';

const config = loadGatewayConfig(process.env);
const logger = createLogger({ name: 'payment-gateway', level: config.LOG_LEVEL });
const database = connectDatabase(config.DATABASE_URL, { poolSize: config.DATABASE_POOL_SIZE });
await migrateGatewayDatabase(database);

const faults = createFaultInjector(faultSettingsFromConfig(config));
const app = createGatewayApp({ database, faults, logger, secrets: { signing: config.PAYMENT_GATEWAY_SECRET, admin: config.PAYMENTS_ADMIN_SECRET } });
const server = serve({ fetch: app.fetch, port: config.PAYMENTS_PORT, hostname: config.HOST }, (info) => {
  logger.info({ url: `http://${config.HOST}:${info.port}`, faults: faults.settings() }, `payment gateway simulator listening on http://${config.HOST}:${info.port}`);
});

let stopping = false;
async function shutdown(signal: NodeJS.Signals): Promise<void> {
  if (stopping) process.exit(1); // A second signal means the operator will not wait.
  stopping = true;
  logger.info({ signal }, 'shutting down');
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await database.close();
  logger.info('stopped');
}
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, (received) => {
    shutdown(received).catch((error: unknown) => {
      logger.error({ err: error }, 'shutdown failed');
      process.exit(1);
    });
  });
}
