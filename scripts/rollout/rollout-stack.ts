import { randomBytes } from 'node:crypto';
import { serve, type ServerType } from '@hono/node-server';
import { Client, Connection } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { NativeConnection, type Worker, type WorkflowBundleOption } from '@temporalio/worker';
import { createGatewayApp } from '../../simulators/payment-gateway/app.js';
import { createFaultInjector } from '../../simulators/payment-gateway/faults.js';
import { migrateGatewayDatabase } from '../../simulators/payment-gateway/migrate.js';
import { createOrderActivities } from '../../src/activities/index.js';
import { createApp } from '../../src/api/app.js';
import { connectDatabase } from '../../src/db/client.js';
import { migrateDatabase } from '../../src/db/migrate.js';
import { seedCatalogue, type ProductSeed } from '../../src/db/seed.js';
import { createPaymentGatewayClient } from '../../src/payments/client.js';
import { hashToken } from '../../src/platform/api-tokens.js';
import type { Logger } from '../../src/platform/logger.js';
import { createOrderWorkers, type OrderWorkers } from '../../src/worker/order-worker.js';
import { pinnedDeployment } from '../../src/worker/worker-deployment.js';
import type { SagaTimings } from '../../src/workflows/timings.js';

/** One build of the workflow code: what a deploy ships, and the name its workers register under. */
export interface Build {
  buildId: string;
  bundle: WorkflowBundleOption;
}

export interface RolloutStackOptions {
  temporalAddress: string;
  namespace: string;
  /** An empty database of the rollout's own: migrated and seeded here. */
  databaseUrl: string;
  dataConverter: DataConverter;
  taskQueue: string;
  deploymentName: string;
  catalogue: ProductSeed[];
  /** How long the gateway holds each call: what keeps orders in flight while the version changes. */
  gatewayLatencyMs: number;
  sagaTimings?: Partial<SagaTimings>;
  logger: Logger;
}

export interface WorkerGroup {
  buildId: string;
  workers: Worker[];
  /** Stops polling and lets in-flight tasks finish (the SDK's graceful shutdown). */
  stop(): Promise<void>;
}

export interface RolloutStack {
  apiUrl: string;
  adminToken: string;
  temporal: Client;
  /** Starts `count` workers of a build as versions of the deployment, pinned by default. */
  startWorkers(build: Build, count: number): Promise<WorkerGroup>;
  stop(): Promise<void>;
}

const GATEWAY_SECRET = randomBytes(24).toString('hex');

function listen(fetch: (request: Request) => Response | Promise<Response>): Promise<{ url: string; close(): Promise<void> }> {
  return new Promise((resolve) => {
    const server: ServerType = serve({ fetch, port: 0, hostname: '127.0.0.1' }, (info) =>
      resolve({
        url: `http://127.0.0.1:${info.port}`,
        close: () => new Promise<void>((done, fail) => server.close((error) => (error ? fail(error) : done()))),
      }),
    );
  });
}

/**
 * Everything a rollout needs beside Temporal, in this process: the database, the payment gateway
 * simulator, the API, and the workers of each build. Temporal is the one part that may be far
 * away (the dev server, the cluster), so that the same rollout runs on either.
 */
export async function startRolloutStack(options: RolloutStackOptions): Promise<RolloutStack> {
  const { logger } = options;
  const database = connectDatabase(options.databaseUrl, { poolSize: 20 });
  await migrateDatabase(database);
  await seedCatalogue(database.db, options.catalogue);
  await migrateGatewayDatabase(database);
  const gatewayApp = createGatewayApp({
    database,
    faults: createFaultInjector({ failureRate: 0, latencyMs: options.gatewayLatencyMs, seed: 1 }),
    logger,
    secrets: { signing: GATEWAY_SECRET, admin: randomBytes(24).toString('hex') },
  });
  const gateway = await listen(gatewayApp.fetch);
  const activities = createOrderActivities({
    db: database.db,
    logger,
    gateway: createPaymentGatewayClient({ baseUrl: gateway.url, timeoutMs: options.gatewayLatencyMs + 5_000, secret: GATEWAY_SECRET }),
    fraudReviewLimit: 500_000,
  });
  const connection = await Connection.connect({ address: options.temporalAddress });
  const temporal = new Client({ connection, namespace: options.namespace, dataConverter: options.dataConverter });
  const adminToken = `rollout_admin_${randomBytes(12).toString('hex')}`;
  const app = createApp({
    db: database.db,
    temporal,
    taskQueue: options.taskQueue,
    logger,
    sagaTimings: options.sagaTimings,
    tokens: [{ role: 'admin', subject: 'rollout', hash: hashToken(adminToken) }],
  });
  const api = await listen(app.fetch);
  const groups: WorkerGroup[] = [];

  async function startWorkers(build: Build, count: number): Promise<WorkerGroup> {
    const running: { set: OrderWorkers; run: Promise<void>; connection: NativeConnection }[] = [];
    for (let i = 0; i < count; i++) {
      const workerConnection = await NativeConnection.connect({ address: options.temporalAddress });
      const set = await createOrderWorkers({
        connection: workerConnection,
        namespace: options.namespace,
        taskQueue: options.taskQueue,
        activities,
        workflowBundle: build.bundle,
        dataConverter: options.dataConverter,
        deployment: pinnedDeployment({ deploymentName: options.deploymentName, buildId: build.buildId }),
        shutdownGraceMs: 10_000,
      });
      running.push({ set, run: set.run(), connection: workerConnection });
    }
    let stopped: Promise<void> | undefined;
    const group: WorkerGroup = {
      buildId: build.buildId,
      workers: running.flatMap((r) => r.set.workers),
      stop: () =>
        (stopped ??= (async () => {
          for (const { set } of running) set.shutdown();
          await Promise.all(running.map((r) => r.run));
          await Promise.all(running.map((r) => r.connection.close()));
        })()),
    };
    groups.push(group);
    return group;
  }

  return {
    apiUrl: api.url,
    adminToken,
    temporal,
    startWorkers,
    async stop() {
      await api.close();
      await Promise.allSettled(groups.map((g) => g.stop()));
      await gateway.close();
      await connection.close();
      await database.close();
    },
  };
}
