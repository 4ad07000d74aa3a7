import { randomBytes } from 'node:crypto';
import { Client, type WorkflowClientInterceptor } from '@temporalio/client';
import type { WorkerOptions } from '@temporalio/worker';
import { inject } from 'vitest';
import { createOrderActivities, type OrderActivities } from '../../src/activities/index.js';
import { createApp, type CreateAppOptions } from '../../src/api/app.js';
import { seedCatalogue, type ProductSeed } from '../../src/db/seed.js';
import { DEFAULT_FRAUD_REVIEW_LIMIT } from '../../src/domain/fraud.js';
import { createApiMetrics } from '../../src/observability/api-metrics.js';
import { serveMetrics } from '../../src/observability/metrics-server.js';
import { hashToken, type TokenEntry } from '../../src/platform/api-tokens.js';
import type { PaymentGatewayClient } from '../../src/payments/client.js';
import type { OrderMetrics } from '../../src/activities/order-metrics.js';
import { createLogger, type Logger } from '../../src/platform/logger.js';
import type { SagaTimings } from '../../src/workflows/timings.js';
import { setDefaultToken } from './api-client.js';
import { startWebhookParts, type WebhookParts, type WebhookStackOptions } from './webhook-parts.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { NO_FAULTS, serveGatewaySimulator, testGatewayClient } from './gateway-simulator.js';
import { serveOnFreePort } from './http.js';
import { TEST_CODEC_TOKEN, TEST_DATA_CONVERTER, testCodecServer } from './payload-codec.js';
import { fastSagaTimings } from './saga-timings.js';
import { connectTestClient, startTestWorker, uniqueTaskQueue, type TestWorker } from './temporal.js';

export interface OrderStack {
  /** The API's base URL: every request goes over real HTTP, with the admin token unless a test names another. */
  apiUrl: string;
  /** The API's GET /metrics, on its internal listener as in production. */
  apiMetricsUrl: string;
  /** A token with the admin role; `call` sends it to this stack's API by default. */
  adminToken: string;
  /** The API's token entries, for an app a test builds over this stack's parts (`createApp({ ..., tokens })`). */
  tokens: TokenEntry[];
  /** A token bound to this customer (made on first use, the same one after). */
  customerToken(customerId: string): string;
  gatewayUrl: string;
  database: TestDatabase;
  gateway: PaymentGatewayClient;
  temporal: Client;
  taskQueue: string;
  /** Starts the stack's worker (if it is not running), optionally with extra worker options. */
  startWorker(options?: Partial<WorkerOptions>): Promise<void>;
  /** Stops the worker: workflow and activity tasks wait on the task queue until one starts again. */
  stopWorker(): Promise<void>;
  /** The webhook dispatchers' worker and settings, present when the stack was started with `webhooks`. */
  webhooks?: WebhookParts;
  stop(): Promise<void>;
}

export interface OrderStackOptions {
  catalogue: ProductSeed[];
  sagaTimings?: Partial<SagaTimings>;
  logger?: Logger;
  /** Where notifications are POSTed; by default they are only logged. */
  notifyWebhookUrl?: string;
  /** Orders above this total, in minor units, fail FRAUD_SUSPECTED; the worker's default when absent. */
  fraudReviewLimit?: number;
  /** False leaves the worker stopped until `startWorker()`, so a test can act before any task runs. */
  startWorker?: boolean;
  /** The worker's metrics, which its activities report to. */
  workerMetrics?: OrderMetrics;
  /** Wraps the worker's gateway client, as the worker's main.ts does with its circuit breaker; the bare client when absent. */
  wrapGateway?: (gateway: PaymentGatewayClient) => PaymentGatewayClient;
  /** Observability for the API app: its metrics registry, and a span per request when tracing; its Temporal deadlines. */
  api?: Pick<CreateAppOptions, 'metrics' | 'httpTracing' | 'corsAllowedOrigins' | 'temporalDeadlines' | 'temporalUi'>;
  /** Interceptors for the API's Temporal client (tracing's StartWorkflow spans). */
  clientInterceptors?: WorkflowClientInterceptor[];
  /**
   * Makes the stack's worker in place of the harness's quiet test worker: for a test that installs
   * the process's Runtime itself (its logger, its SDK metrics) and runs the production worker.
   */
  createWorker?: (taskQueue: string, activities: OrderActivities, options?: Partial<WorkerOptions>) => Promise<TestWorker>;
  /** Webhook delivery: the API's endpoints get loopback allowed, and a webhook worker runs (unless `startWorker: false` there). */
  webhooks?: WebhookStackOptions;
}

/**
 * Every real part for one test file: its own PostgreSQL database, the gateway simulator over HTTP,
 * a real worker on the run's Temporal dev server, and the API over HTTP.
 */
export async function startOrderStack({
  catalogue,
  sagaTimings = fastSagaTimings(),
  logger,
  notifyWebhookUrl,
  fraudReviewLimit = DEFAULT_FRAUD_REVIEW_LIMIT,
  startWorker: workerAtOnce = true,
  workerMetrics,
  wrapGateway = (gateway) => gateway,
  api,
  clientInterceptors,
  createWorker = startTestWorker,
  webhooks: webhookOptions,
}: OrderStackOptions): Promise<OrderStack> {
  const log = logger ?? createLogger({ name: 'e2e', level: 'silent', pretty: false });
  const database = await createTestDatabase('e2e');
  await seedCatalogue(database.db, catalogue);
  const gatewayServer = await serveGatewaySimulator(database, { faults: { ...NO_FAULTS, seed: 7 }, logger: log });
  const gateway = testGatewayClient(gatewayServer.baseUrl, 2_000);
  const taskQueue = uniqueTaskQueue('e2e');
  const activities = createOrderActivities({ db: database.db, gateway: wrapGateway(gateway), logger: log, notifyWebhookUrl, fraudReviewLimit, metrics: workerMetrics });
  let worker: TestWorker | undefined;
  const startWorker = async (options?: Partial<WorkerOptions>) => {
    worker ??= await createWorker(taskQueue, activities, options);
  };
  const stopWorker = async () => {
    await worker?.stop();
    worker = undefined;
  };
  if (workerAtOnce) await startWorker();
  const connected = await connectTestClient();
  const temporal = clientInterceptors
    ? new Client({ connection: connected.connection, dataConverter: TEST_DATA_CONVERTER, interceptors: { workflow: clientInterceptors } })
    : connected;
  // The app reads its token list on each request, so a test may mint customer tokens after it starts.
  const tokens: TokenEntry[] = [];
  const mint = (role: TokenEntry['role'], subject: string) => {
    const token = `test_${role}_${randomBytes(12).toString('hex')}`;
    tokens.push({ role, subject, hash: hashToken(token) });
    return token;
  };
  const adminToken = mint('admin', 'test-admin');
  // The codec server admits admin tokens: the fixed test codec token is one, so the CLI tests can use it.
  tokens.push({ role: 'admin', subject: 'test-codec', hash: hashToken(TEST_CODEC_TOKEN) });
  const customerTokens = new Map<string, string>();
  const customerToken = (customerId: string) => customerTokens.get(customerId) ?? customerTokens.set(customerId, mint('customer', customerId)).get(customerId)!;
  const metrics = api?.metrics ?? createApiMetrics();
  const codec = testCodecServer([inject('temporalUiUrl')]);
  const webhooks = webhookOptions && (await startWebhookParts(database.db, taskQueue, webhookOptions));
  const apiServer = await serveOnFreePort(
    createApp({
      db: database.db,
      temporal,
      taskQueue,
      logger: log,
      sagaTimings,
      codec,
      tokens,
      // Admins' order answers link to the run's Web UI, as the API's do to the one TEMPORAL_UI_URL names.
      temporalUi: { url: inject('temporalUiUrl'), namespace: 'default' },
      ...api,
      metrics,
      ...(webhooks ? { webhooks: webhooks.apiDeps } : {}),
    }).fetch,
  );
  const apiMetrics = await serveMetrics(metrics.registry, { host: '127.0.0.1', port: 0 });
  setDefaultToken(apiServer.baseUrl, adminToken);
  return {
    apiUrl: apiServer.baseUrl,
    apiMetricsUrl: apiMetrics.url,
    adminToken,
    tokens,
    customerToken,
    gatewayUrl: gatewayServer.baseUrl,
    database,
    gateway,
    temporal,
    taskQueue,
    startWorker,
    stopWorker,
    ...(webhooks ? { webhooks } : {}),
    async stop() {
      await apiServer.close();
      await apiMetrics.close();
      setDefaultToken(apiServer.baseUrl, undefined);
      await stopWorker();
      await webhooks?.stopWorker();
      await gatewayServer.close();
      await temporal.connection.close();
      await database.drop();
    },
  };
}
