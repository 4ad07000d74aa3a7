import { createOrderActivities } from '../activities/index.js';
import { connectDatabase } from '../db/client.js';
import { migrateDatabase } from '../db/migrate.js';
import { createPaymentGatewayClient } from '../payment-gateway/client.js';
import { loadWorkerConfig } from '../platform/config.js';
import { createLogger } from '../platform/logger.js';
import { connectWorkerConnection, temporalSettings } from '../platform/temporal-connection.js';
import { createOrderWorker } from './order-worker.js';
import { installRuntime } from './runtime.js';

const config = loadWorkerConfig(process.env);
const logger = createLogger({ name: 'worker', level: config.LOG_LEVEL });
installRuntime({ logger, sdkMetricsAddress: `${config.METRICS_HOST}:${config.SDK_METRICS_PORT}` });

const database = connectDatabase(config.DATABASE_URL, { poolSize: config.DATABASE_POOL_SIZE });
await migrateDatabase(database);
const temporal = temporalSettings(process.env);
const connection = await connectWorkerConnection(temporal);
const worker = await createOrderWorker({
  connection,
  namespace: temporal.namespace,
  taskQueue: config.TEMPORAL_TASK_QUEUE,
  shutdownGraceMs: config.SHUTDOWN_GRACE_MS,
  activities: createOrderActivities({
    db: database.db,
    logger,
    gateway: createPaymentGatewayClient({ baseUrl: config.PAYMENT_GATEWAY_URL, timeoutMs: config.PAYMENT_GATEWAY_TIMEOUT_MS }),
    notifyWebhookUrl: config.NOTIFY_WEBHOOK_URL,
  }),
});

logger.info({ taskQueue: config.TEMPORAL_TASK_QUEUE, address: temporal.connectionOptions.address, namespace: temporal.namespace }, 'Worker polling');
// The SDK's runtime turns SIGINT/SIGTERM into a graceful shutdown: polling stops, in-flight tasks drain.
await worker.run();
await connection.close();
await database.close();
logger.info('Worker stopped');
