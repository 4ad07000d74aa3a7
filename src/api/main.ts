import { connectDatabase } from '../db/client.js';
import { migrateDatabase } from '../db/migrate.js';
import { SEED_BATCH_SIZE, seedCatalogue } from '../db/seed.js';
import { orderDataConverter, payloadCodecFromConfig } from '../platform/codec/index.js';
import { loadApiConfig, shouldSeedDemoCatalogue } from '../platform/config.js';
import { createLogger } from '../platform/logger.js';
import { createApiMetrics } from '../observability/api-metrics.js';
import { serveMetrics } from '../observability/metrics-server.js';
import { connectClient, temporalSettings } from '../platform/temporal-connection.js';
import { OutboundAddressPolicy } from '../platform/outbound-address.js';
import { webhookSecretsFromConfig } from '../platform/webhook-secrets.js';
import { createApp } from './app.js';
import { serveApi } from './http/slow-clients.js';
import { answerUnparseableRequests } from './http/unparseable-requests.js';
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
// The slow steps of a first start each say how long they took.
let phaseStart = performance.now();
const elapsedMs = () => Math.round(performance.now() - phaseStart);
await migrateDatabase(database);
logger.info({ durationMs: elapsedMs() }, 'Database migrations applied');
if (shouldSeedDemoCatalogue(config)) {
  phaseStart = performance.now();
  await seedCatalogue(database.db, undefined, ({ seeded, total }) => {
    if (total > SEED_BATCH_SIZE) logger.info({ seeded, total, durationMs: elapsedMs() }, 'Seeding the catalogue');
  });
  logger.info({ durationMs: elapsedMs() }, 'Demo catalogue seeded');
}
const settings = temporalSettings(process.env);
// With tracing on, starting a workflow opens a span under the request's and sends it along in a header.
const temporal = await connectClient(settings, { dataConverter: orderDataConverter(codec), interceptors: { workflow: tracing?.clientInterceptors ?? [] } });

const metrics = createApiMetrics();
const app = createApp({
  db: database.db,
  temporal,
  taskQueue: config.TEMPORAL_TASK_QUEUE,
  logger,
  temporalUi: { url: config.TEMPORAL_UI_URL, namespace: settings.namespace },
  httpTracing: tracing?.httpMiddleware,
  codec: codec && { codec, allowedOrigins: config.CODEC_CORS_ORIGINS },
  metrics,
  tokens: config.tokens,
  corsAllowedOrigins: config.CORS_ALLOWED_ORIGINS,
  overload: {
    orderRateLimits: { customerLimit: config.ORDER_RATE_LIMIT_PER_MINUTE, adminLimit: config.ORDER_RATE_LIMIT_ADMIN_PER_MINUTE },
    maxIntakeInFlight: config.ORDER_INTAKE_MAX_IN_FLIGHT,
  },
  webhooks: {
    secrets: webhookSecretsFromConfig(config),
    policy: new OutboundAddressPolicy(config.WEBHOOK_ALLOWED_NETWORKS),
    ...(config.WEBHOOK_RETRY_WINDOW_MS ? { timings: { retryWindowMs: config.WEBHOOK_RETRY_WINDOW_MS } } : {}),
  },
});
// Metrics are for Prometheus on the internal network, not for API clients: a port of their own, like the worker's.
const metricsServer = await serveMetrics(metrics.registry, { host: config.METRICS_HOST, port: config.API_METRICS_PORT });
const timeouts = {
  headersTimeoutMs: config.HTTP_HEADERS_TIMEOUT_MS,
  requestTimeoutMs: config.HTTP_REQUEST_TIMEOUT_MS,
  keepAliveTimeoutMs: config.HTTP_KEEP_ALIVE_TIMEOUT_MS,
};
const server = serveApi({ fetch: app.fetch, port: config.PORT, hostname: config.HOST, timeouts }, (info) =>
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
answerUnparseableRequests(server);

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
