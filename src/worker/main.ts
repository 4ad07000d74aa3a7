import { getHeapStatistics } from 'node:v8';
import { createOrderActivities } from '../activities/index.js';
import { createWebhookActivities } from '../activities/webhooks/index.js';
import { connectDatabase } from '../db/client.js';
import { migrateDatabase } from '../db/migrate.js';
import { serveMetrics } from '../observability/metrics-server.js';
import { createWorkerMetrics } from './metrics.js';
import { withCircuitBreaker } from '../payments/circuit-breaker.js';
import { createPaymentGatewayClient } from '../payments/client.js';
import { orderDataConverter, payloadCodecFromConfig } from '../platform/codec/index.js';
import { loadWorkerConfig } from '../platform/config.js';
import { createLogger } from '../platform/logger.js';
import { connectClient, connectWorkerConnection, temporalSettings } from '../platform/temporal-connection.js';
import { createOrderWorkers } from './order-worker.js';
import { prebuiltWorkflowBundle } from './workflow-bundle.js';
import { runPendingOrderReconciler } from './pending-order-reconciler.js';
import { workerDeploymentOptions } from './worker-deployment.js';
import { installRuntime } from './runtime.js';
import { createWebhookWorker, runWorkersTogether } from './webhook-worker.js';
import { isSagaConcern } from '../domain/task-queues.js';
import { webhookTaskQueue } from '../workflows/webhook-messages.js';
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
const deployment = workerDeploymentOptions(config);
const workflowBundle = config.WORKFLOW_BUNDLE_PATH ? prebuiltWorkflowBundle(config.WORKFLOW_BUNDLE_PATH, { tracing: tracing !== undefined }) : undefined;
const sagaConcerns = config.WORKER_TASK_QUEUES.filter(isSagaConcern);
const workers =
  sagaConcerns.length === 0
    ? undefined
    : await createOrderWorkers({
        connection,
        namespace: temporal.namespace,
        taskQueue: config.TEMPORAL_TASK_QUEUE,
        concerns: sagaConcerns,
        paymentsConcurrency: config.PAYMENTS_MAX_CONCURRENT_ACTIVITIES,
        tuning: { maxCachedWorkflows: config.WORKER_MAX_CACHED_WORKFLOWS },
        shutdownGraceMs: config.SHUTDOWN_GRACE_MS,
        dataConverter: orderDataConverter(codec),
        tracing: tracing?.worker,
        workflowBundle,
        deployment,
        activities: createOrderActivities({
          db: database.db,
          logger,
          metrics,
          // One breaker per worker process: its activities share what it learns about the gateway.
          gateway: withCircuitBreaker(
            createPaymentGatewayClient({ baseUrl: config.PAYMENT_GATEWAY_URL, timeoutMs: config.PAYMENT_GATEWAY_TIMEOUT_MS, secret: config.PAYMENT_GATEWAY_SECRET }),
            { consecutiveFailures: config.PAYMENT_BREAKER_CONSECUTIVE_FAILURES, halfOpenAfterMs: config.PAYMENT_BREAKER_OPEN_MS },
            metrics,
          ),
          notifyWebhookUrl: config.NOTIFY_WEBHOOK_URL,
          fraudReviewLimit: config.FRAUD_REVIEW_LIMIT_MINOR,
        }),
      });

// Webhook deliveries (the `webhooks` concern): a task queue and activity slots of their own. Unversioned even when
// the orders are pinned: a dispatcher runs for as long as its endpoint exists, and its replay histories guard changes.
const webhookWorker = !config.WORKER_TASK_QUEUES.includes('webhooks')
  ? undefined
  : await createWebhookWorker({
      connection,
      namespace: temporal.namespace,
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      shutdownGraceMs: config.SHUTDOWN_GRACE_MS,
      dataConverter: orderDataConverter(codec),
      workflowBundle,
      tracing: tracing?.worker,
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
  maxAgeMs: config.PENDING_ORDER_MAX_AGE_MS,
  intervalMs: config.PENDING_ORDER_RECONCILE_EVERY_MS,
});

logger.info(
  {
    taskQueues: { ...workers?.queues, ...(webhookWorker ? { webhooks: webhookTaskQueue(config.TEMPORAL_TASK_QUEUE) } : {}) },
    address: temporal.connectionOptions.address,
    namespace: temporal.namespace,
    metrics: metricsServer.url,
    sdkMetrics: `http://${config.METRICS_HOST}:${config.SDK_METRICS_PORT}/metrics`,
    tracing: config.OTEL_EXPORTER_OTLP_ENDPOINT ?? 'off',
    version: deployment ? `${deployment.version.deploymentName}:${deployment.version.buildId} (pinned)` : 'unversioned',
    payloads: codec ? 'encrypted' : 'plain text (PAYLOAD_ENCRYPTION=off)',
    workflowBundle: config.WORKFLOW_BUNDLE_PATH ?? 'bundled at start',
    maxCachedWorkflows: config.WORKER_MAX_CACHED_WORKFLOWS,
    heapLimitMB: Math.round(getHeapStatistics().heap_size_limit / 2 ** 20),
  },
  'Worker polling',
);
// The SDK's runtime turns SIGINT/SIGTERM into a graceful shutdown: polling stops, in-flight tasks drain.
await runWorkersTogether(workers, webhookWorker);
await reconciler.stop();
await client.connection.close();
await connection.close();
await database.close();
await metricsServer.close();
await tracing?.shutdown();
logger.info('Worker stopped');
