import { serve } from '@hono/node-server';
import { connectDatabase } from '../db/client.js';
import { migrateDatabase } from '../db/migrate.js';
import { seedCatalogue } from '../db/seed.js';
import { orderDataConverter, payloadCodecFromConfig } from '../platform/codec/index.js';
import { loadApiConfig, shouldSeedDemoCatalogue } from '../platform/config.js';
import { createLogger } from '../platform/logger.js';
import { createApiMetrics } from '../observability/api-metrics.js';
import { serveMetrics } from '../observability/metrics-server.js';
import { connectClient, temporalSettings } from '../platform/temporal-connection.js';
import { OutboundAddressPolicy } from '../platform/outbound-address.js';
import { webhookSecretsFromConfig } from '../platform/webhook-secrets.js';
import { createApp } from './app.js';
import { purgeExpiredIdempotencyKeys } from './orders/index.js';

let config: ReturnType<typeof loadApiConfig>;
try {
  config = loadApiConfig(process.env);
} catch (error) {
  // Say why, in one line, and do not start: an API without tokens would be open to anyone.
  process.stderr.write(`The API will not start: ${(error as Error).message}\n`);
  process.exit(1);
}
const codec = payloadCodecFromConfig(config);
const logger = createLogger({ name: 'api', level: config.LOG_LEVEL });
// Loaded only when tracing is on, so that with it off no OpenTelemetry code runs at all.
const tracing = config.OTEL_EXPORTER_OTLP_ENDPOINT
  ? (await import('../observability/tracing.js')).startTracing({
      serviceName: config.OTEL_SERVICE_NAME ?? 'orders-api',
      otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT,
    })
  : undefined;
const database = connectDatabase(config.DATABASE_URL, { poolSize: config.DATABASE_POOL_SIZE });
await migrateDatabase(database);
if (shouldSeedDemoCatalogue(config)) await seedCatalogue(database.db);
const settings = temporalSettings(process.env);
// With tracing on, starting a workflow opens a span under the request's and sends it along in a header.
const temporal = await connectClient(settings, { dataConverter: orderDataConverter(codec), interceptors: { workflow: tracing?.clientInterceptors ?? [] } });

const metrics = createApiMetrics();
const app = createApp({
  db: database.db,
  temporal,
  taskQueue: config.TEMPORAL_TASK_QUEUE,
  logger,
  httpTracing: tracing?.httpMiddleware,
  codec: codec && { codec, allowedOrigins: config.CODEC_CORS_ORIGINS },
  metrics,
  tokens: config.tokens,
  corsAllowedOrigins: config.CORS_ALLOWED_ORIGINS,
  webhooks: {
    secrets: webhookSecretsFromConfig(config),
    policy: new OutboundAddressPolicy(config.WEBHOOK_ALLOWED_NETWORKS),
    ...(config.WEBHOOK_RETRY_WINDOW_MS ? { timings: { retryWindowMs: config.WEBHOOK_RETRY_WINDOW_MS } } : {}),
  },
});
// Metrics are for Prometheus on the internal network, not for API clients: a port of their own, like the worker's.
const metricsServer = await serveMetrics(metrics.registry, { host: config.METRICS_HOST, port: config.API_METRICS_PORT });
const server = serve({ fetch: app.fetch, port: config.PORT, hostname: config.HOST }, (info) =>
  logger.info(
    {
      url: `http://${info.address}:${info.port}`,
      metrics: metricsServer.url,
      tokens: config.tokens.map(({ role, subject }) => `${role}:${subject}`),
      corsAllowedOrigins: config.CORS_ALLOWED_ORIGINS,
      tracing: config.OTEL_EXPORTER_OTLP_ENDPOINT ?? 'off',
      payloads: codec ? 'encrypted' : 'plain text (PAYLOAD_ENCRYPTION=off)',
    },
    'API listening',
  ),
);

// Keys live at least IDEMPOTENCY_KEY_RETENTION_HOURS; every replica may purge, the delete is idempotent.
const purgeKeys = () =>
  purgeExpiredIdempotencyKeys(database.db)
    .then((purged) => purged > 0 && logger.info({ purged }, 'Purged expired idempotency keys'))
    .catch((error: unknown) => logger.warn({ err: error }, 'Purging idempotency keys failed; will try again'));
void purgeKeys();
const purgeTimer = setInterval(() => void purgeKeys(), 60 * 60_000).unref();

let stopping = false;
/** Once the server has stopped taking connections and its requests have finished. */
async function closeTheRest(): Promise<void> {
  await temporal.connection.close();
  await metricsServer.close();
  await database.close();
  await tracing?.shutdown();
  logger.info('API stopped');
  process.exit(0);
}

function shutdown(signal: string): void {
  if (stopping) return;
  stopping = true;
  clearInterval(purgeTimer);
  logger.info({ signal }, 'API shutting down: no new connections, in-flight requests finish');
  server.close(() => void closeTheRest());
  setTimeout(() => process.exit(1), 15_000).unref();
}
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
