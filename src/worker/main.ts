import { createOrderActivities } from '../activities/index.js';
import { createWebhookActivities } from '../activities/webhooks/index.js';
import { connectDatabase } from '../db/client.js';
import { migrateDatabase } from '../db/migrate.js';
import { serveMetrics } from '../observability/metrics-server.js';
import { createWorkerMetrics } from './metrics.js';
import { createPaymentGatewayClient } from '../payments/client.js';
import { orderDataConverter, payloadCodecFromConfig } from '../platform/codec/index.js';
import { loadWorkerConfig } from '../platform/config.js';
import { createLogger } from '../platform/logger.js';
import { connectClient, connectWorkerConnection, temporalSettings } from '../platform/temporal-connection.js';
import { createOrderWorker } from './order-worker.js';
import { runPendingOrderReconciler } from './pending-order-reconciler.js';
import { installRuntime } from './runtime.js';
import { createWebhookWorker } from './webhook-worker.js';
import { OutboundAddressPolicy } from '../platform/outbound-address.js';
import { webhookSecretsFromConfig } from '../platform/webhook-secrets.js';

const config = loadWorkerConfig(process.env);
const codec = payloadCodecFromConfig(config);
const logger = createLogger({ name: 'worker', level: config.LOG_LEVEL });
// The SDK's core metrics on SDK_METRICS_PORT (9465); the worker's own below on METRICS_PORT (9464).
installRuntime({ logger, sdkMetricsAddress: `${config.METRICS_HOST}:${config.SDK_METRICS_PORT}` });
// Loaded only when tracing is on, so that with it off no OpenTelemetry code runs at all.
const tracing = config.OTEL_EXPORTER_OTLP_ENDPOINT
  ? (await import('../observability/tracing.js')).startTracing({
      serviceName: config.OTEL_SERVICE_NAME ?? 'orders-worker',
      otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT,
    })
  : undefined;

const metrics = createWorkerMetrics();
const metricsServer = await serveMetrics(metrics.registry, { host: config.METRICS_HOST, port: config.METRICS_PORT });
const database = connectDatabase(config.DATABASE_URL, { poolSize: config.DATABASE_POOL_SIZE });
await migrateDatabase(database);
const temporal = temporalSettings(process.env);
const connection = await connectWorkerConnection(temporal);
const worker = await createOrderWorker({
  connection,
  namespace: temporal.namespace,
  taskQueue: config.TEMPORAL_TASK_QUEUE,
  shutdownGraceMs: config.SHUTDOWN_GRACE_MS,
  dataConverter: orderDataConverter(codec),
  tracing: tracing?.worker,
  activities: createOrderActivities({
    db: database.db,
    logger,
    metrics,
    gateway: createPaymentGatewayClient({ baseUrl: config.PAYMENT_GATEWAY_URL, timeoutMs: config.PAYMENT_GATEWAY_TIMEOUT_MS, secret: config.PAYMENT_GATEWAY_SECRET }),
    notifyWebhookUrl: config.NOTIFY_WEBHOOK_URL,
    fraudReviewLimit: config.FRAUD_REVIEW_LIMIT_MINOR,
  }),
});

// Webhook deliveries: the same process, a task queue and activity slots of their own.
const webhookWorker = await createWebhookWorker({
  connection,
  namespace: temporal.namespace,
  taskQueue: config.TEMPORAL_TASK_QUEUE,
  shutdownGraceMs: config.SHUTDOWN_GRACE_MS,
  dataConverter: orderDataConverter(codec),
  activities: createWebhookActivities({
    db: database.db,
    secrets: webhookSecretsFromConfig(config),
    policy: new OutboundAddressPolicy(config.WEBHOOK_ALLOWED_NETWORKS),
    limits: { timeoutMs: config.WEBHOOK_DELIVERY_TIMEOUT_MS, maxResponseBytes: config.WEBHOOK_MAX_RESPONSE_BYTES },
  }),
});

// Every worker replica runs it; starts are idempotent, so passes that overlap across replicas are harmless.
// The reconciler starts orders' workflows: with the same codec as the API, so their input is encrypted too.
const client = await connectClient(temporal, { dataConverter: orderDataConverter(codec) });
const reconciler = runPendingOrderReconciler({
  db: database.db,
  temporal: client,
  taskQueue: config.TEMPORAL_TASK_QUEUE,
  logger,
  olderThanMs: config.PENDING_ORDER_RECONCILE_AFTER_MS,
  intervalMs: config.PENDING_ORDER_RECONCILE_EVERY_MS,
});

logger.info(
  {
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    address: temporal.connectionOptions.address,
    namespace: temporal.namespace,
    metrics: metricsServer.url,
    sdkMetrics: `http://${config.METRICS_HOST}:${config.SDK_METRICS_PORT}/metrics`,
    tracing: config.OTEL_EXPORTER_OTLP_ENDPOINT ?? 'off',
    payloads: codec ? 'encrypted' : 'plain text (PAYLOAD_ENCRYPTION=off)',
  },
  'Worker polling',
);
// The SDK's runtime turns SIGINT/SIGTERM into a graceful shutdown: polling stops, in-flight tasks drain.
await Promise.all([worker.run(), webhookWorker.run()]);
await reconciler.stop();
await client.connection.close();
await connection.close();
await database.close();
await metricsServer.close();
await tracing?.shutdown();
logger.info('Worker stopped');
