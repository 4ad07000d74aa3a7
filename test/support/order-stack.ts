import { Client, type WorkflowClientInterceptor } from '@temporalio/client';
import type { WorkerOptions } from '@temporalio/worker';
import { createOrderActivities, type OrderActivities } from '../../src/activities/index.js';
import { createApp, type CreateAppOptions } from '../../src/api/app.js';
import { seedCatalogue, type ProductSeed } from '../../src/db/seed.js';
import { DEFAULT_FRAUD_REVIEW_LIMIT } from '../../src/domain/fraud.js';
import { createPaymentGatewayClient, type PaymentGatewayClient } from '../../src/payments/client.js';
import type { OrderMetrics } from '../../src/activities/order-metrics.js';
import { createLogger, type Logger } from '../../src/platform/logger.js';
import type { SagaTimings } from '../../src/workflows/timings.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { NO_FAULTS, serveGatewaySimulator } from './gateway-simulator.js';
import { serveOnFreePort } from './http.js';
import { fastSagaTimings } from './saga-timings.js';
import { connectTestClient, startTestWorker, uniqueTaskQueue, type TestWorker } from './temporal.js';

export interface OrderStack {
  /** The API's base URL: every request goes over real HTTP. */
  apiUrl: string;
  gatewayUrl: string;
  database: TestDatabase;
  gateway: PaymentGatewayClient;
  temporal: Client;
  taskQueue: string;
  /** Starts the stack's worker (if it is not running), optionally with extra worker options. */
  startWorker(options?: Partial<WorkerOptions>): Promise<void>;
  /** Stops the worker: workflow and activity tasks wait on the task queue until one starts again. */
  stopWorker(): Promise<void>;
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
  /** Observability for the API app: its metrics registry, and a span per request when tracing; its Temporal deadlines. */
  api?: Pick<CreateAppOptions, 'metrics' | 'httpTracing' | 'temporalDeadlines'>;
  /** Interceptors for the API's Temporal client (tracing's StartWorkflow spans). */
  clientInterceptors?: WorkflowClientInterceptor[];
  /**
   * Makes the stack's worker in place of the harness's quiet test worker: for a test that installs
   * the process's Runtime itself (its logger, its SDK metrics) and runs the production worker.
   */
  createWorker?: (taskQueue: string, activities: OrderActivities, options?: Partial<WorkerOptions>) => Promise<TestWorker>;
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
  api,
  clientInterceptors,
  createWorker = startTestWorker,
}: OrderStackOptions): Promise<OrderStack> {
  const log = logger ?? createLogger({ name: 'e2e', level: 'silent', pretty: false });
  const database = await createTestDatabase('e2e');
  await seedCatalogue(database.db, catalogue);
  const gatewayServer = await serveGatewaySimulator(database, { faults: { ...NO_FAULTS, seed: 7 }, logger: log });
  const gateway = createPaymentGatewayClient({ baseUrl: gatewayServer.baseUrl, timeoutMs: 2_000 });
  const taskQueue = uniqueTaskQueue('e2e');
  const activities = createOrderActivities({ db: database.db, gateway, logger: log, notifyWebhookUrl, fraudReviewLimit, metrics: workerMetrics });
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
  const temporal = clientInterceptors ? new Client({ connection: connected.connection, interceptors: { workflow: clientInterceptors } }) : connected;
  const apiServer = await serveOnFreePort(createApp({ db: database.db, temporal, taskQueue, logger: log, sagaTimings, ...api }).fetch);
  return {
    apiUrl: apiServer.baseUrl,
    gatewayUrl: gatewayServer.baseUrl,
    database,
    gateway,
    temporal,
    taskQueue,
    startWorker,
    stopWorker,
    async stop() {
      await apiServer.close();
      await stopWorker();
      await gatewayServer.close();
      await temporal.connection.close();
      await database.drop();
    },
  };
}
