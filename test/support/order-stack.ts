import type { Client } from '@temporalio/client';
import { createOrderActivities } from '../../src/activities/index.js';
import { createApp } from '../../src/api/app.js';
import { seedCatalogue, type ProductSeed } from '../../src/db/seed.js';
import { createGatewayApp } from '../../src/payment-gateway/app.js';
import { createPaymentGatewayClient, type PaymentGatewayClient } from '../../src/payment-gateway/client.js';
import { createFaultInjector } from '../../src/payment-gateway/faults.js';
import { migrateGatewayDatabase } from '../../src/payment-gateway/migrate.js';
import { createLogger, type Logger } from '../../src/platform/logger.js';
import type { SagaTimings } from '../../src/workflows/timings.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { serveOnFreePort } from './http.js';
import { connectTestClient, startTestWorker, uniqueTaskQueue } from './temporal.js';

/** Saga durations that let retries and deadlines play out in seconds against the real server. */
export const FAST_SAGA: SagaTimings = {
  stepAttemptTimeoutMs: 5_000,
  inventoryDeadlineMs: 20_000,
  paymentAttemptTimeoutMs: 5_000,
  paymentDeadlineMs: 20_000,
  retryInitialIntervalMs: 100,
  retryMaximumIntervalMs: 500,
  compensationMaximumIntervalMs: 500,
  notificationWindowMs: 5_000,
};

export interface OrderStack {
  /** The API's base URL: every request goes over real HTTP. */
  apiUrl: string;
  gatewayUrl: string;
  database: TestDatabase;
  gateway: PaymentGatewayClient;
  temporal: Client;
  taskQueue: string;
  stop(): Promise<void>;
}

export interface OrderStackOptions {
  catalogue: ProductSeed[];
  sagaTimings?: Partial<SagaTimings>;
  logger?: Logger;
}

/**
 * Every real part for one test file: its own PostgreSQL database, the gateway simulator over HTTP,
 * a real worker on the run's Temporal dev server, and the API over HTTP.
 */
export async function startOrderStack({ catalogue, sagaTimings = FAST_SAGA, logger }: OrderStackOptions): Promise<OrderStack> {
  const log = logger ?? createLogger({ name: 'e2e', level: 'silent', pretty: false });
  const database = await createTestDatabase('e2e');
  await migrateGatewayDatabase(database);
  await seedCatalogue(database.db, catalogue);
  const gatewayServer = await serveOnFreePort(
    createGatewayApp({ database, faults: createFaultInjector({ failureRate: 0, latencyMs: 0, seed: 7 }), logger: log }).fetch,
  );
  const gateway = createPaymentGatewayClient({ baseUrl: gatewayServer.baseUrl, timeoutMs: 2_000 });
  const taskQueue = uniqueTaskQueue('e2e');
  const worker = await startTestWorker(taskQueue, createOrderActivities({ db: database.db, gateway, logger: log }));
  const temporal = await connectTestClient();
  const apiServer = await serveOnFreePort(createApp({ db: database.db, temporal, taskQueue, logger: log, sagaTimings }).fetch);
  return {
    apiUrl: apiServer.baseUrl,
    gatewayUrl: gatewayServer.baseUrl,
    database,
    gateway,
    temporal,
    taskQueue,
    async stop() {
      await apiServer.close();
      await worker.stop();
      await gatewayServer.close();
      await temporal.connection.close();
      await database.drop();
    },
  };
}
