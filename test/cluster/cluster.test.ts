import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, Connection } from '@temporalio/client';
import { checkInvariants, type AcceptedOrder } from '../../chaos/invariants/index.js';
import { drainOrders } from '../../chaos/run/drain.js';
import type { ManagedProcess } from '../../devstack/child-process.js';
import { freeClusterPorts, type ClusterPorts } from '../../devstack/cluster-ports.js';
import { startClusterStack, type ClusterStack } from '../../devstack/cluster-stack.js';
import { ensureTemporalCli } from '../../devstack/temporal-cli.js';
import { waitFor } from '../../devstack/wait-for.js';
import type { OrderSummary } from '../../src/api/orders/index.js';
import { connectDatabase, type DatabaseHandle } from '../../src/db/client.js';
import { DEMO_CATALOGUE } from '../../src/db/seed.js';
import { orderDataConverter, payloadCodecFromConfig } from '../../src/platform/codec/index.js';
import { scrape } from '../observability/support/scrape.js';
import { anOrderRequest, call, setDefaultToken, waitForOrderStatus } from '../support/api-client.js';

/**
 * The whole system on a real Temporal cluster (`npm run cluster`'s launcher, on free ports and a
 * data folder of its own): five Temporal service processes on PostgreSQL, two workers, two APIs.
 * The last test is the cluster's chaos run: SIGKILLs mid-run, then the chaos invariant checker.
 */
let stack: ClusterStack;
let ports: ClusterPorts;
let database: DatabaseHandle;
let connection: Connection;
/** A client of the cluster with the stack's payload codec, so the checker can read the workflows' results. */
let temporalClient: Client;
const temporal = () => temporalClient;
let workDir: string;
const quiet = () => {};

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'order-saga-cluster-'));
  // PostgreSQL runs as the `postgres` user when we are root, so it must be able to enter this folder.
  chmodSync(workDir, 0o755);
  ports = await freeClusterPorts();
  stack = await startClusterStack({ env: process.env, dataDir: workDir, ports, onLine: quiet, progress: quiet });
  database = connectDatabase(stack.urls.database, { poolSize: 4 });
  connection = await Connection.connect({ address: stack.urls.temporalAddress });
  const codec = payloadCodecFromConfig({ PAYLOAD_KEYS: stack.payloadKeys, PAYLOAD_ENCRYPTION: stack.payloadKeys ? 'on' : 'off' });
  temporalClient = new Client({ connection, namespace: 'default', dataConverter: orderDataConverter(codec) });
  // waitForOrderStatus reads with each URL's default token.
  for (const url of [stack.urls.api, ...stack.urls.apis]) setDefaultToken(url, stack.secrets.adminToken);
});

afterAll(async () => {
  await connection?.close();
  await database?.close();
  await stack?.stop();
  rmSync(workDir, { recursive: true, force: true });
});

const admin = () => ({ token: stack.secrets.adminToken });

/** Places an order as a client with an Idempotency-Key does: a dropped connection or a 5xx is retried with the same key. */
async function placeAcceptedOrder(baseUrl: string, customerId: string): Promise<AcceptedOrder> {
  const key = randomUUID();
  return waitFor(
    `an order placed through ${baseUrl}`,
    async () => {
      const { status, body } = await call<OrderSummary>(baseUrl, 'POST', '/orders', anOrderRequest({ customerId }), { 'Idempotency-Key': key }, admin());
      if (status === 202 || status === 201) return { orderId: body.id, customerId, idempotencyKey: key };
      throw new Error(`answered ${status}: ${JSON.stringify(body).slice(0, 200)}`);
    },
    { timeoutMs: 60_000, intervalMs: 250 },
  );
}

const placeOrder = async (baseUrl: string, customerId: string) => (await placeAcceptedOrder(baseUrl, customerId)).orderId;

/** SIGKILL, as a crashed machine would; resolves once the process is gone, so its ports are free for the restart. */
async function sigkill(managed: ManagedProcess): Promise<void> {
  managed.child.kill('SIGKILL');
  await managed.exited;
}
const killService = (name: string) => sigkill(stack.services.get(name)!);
const killTemporal = (name: string) => sigkill(stack.temporal.processes.get(name)!);

/** Starts a Temporal process again and waits until its Prometheus endpoint answers: the process is up and has read its config. */
async function restartTemporal(name: string): Promise<void> {
  stack.temporal.restart(name);
  const { metricsPort } = ports.temporal.find((process) => process.name === name)!;
  await waitFor(`temporal ${name} to answer on its metrics port`, async () => (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).ok || undefined, {
    timeoutMs: 60_000,
    intervalMs: 250,
  });
}

const completed = (baseUrl: string, orderId: string) => waitForOrderStatus(baseUrl, orderId, ['COMPLETED'], 120_000);

describe('the order saga on a Temporal cluster', () => {
  it('runs on the real server with PostgreSQL persistence and visibility', async () => {
    const cli = await ensureTemporalCli(process.env);
    const described = spawnSync(cli, ['operator', 'cluster', 'describe', '--address', stack.urls.temporalAddress], { encoding: 'utf8' });
    expect(described.status).toBe(0);
    expect(described.stdout).toMatch(/active\s+postgres12\s+postgres12/);
  });

  it('completes orders placed through either API, and through the port in front of both', async () => {
    const [first, second] = stack.urls.apis;
    const placed = await Promise.all([first!, second!, stack.urls.api].flatMap((url) => [0, 1, 2].map(async () => ({ url, id: await placeOrder(url, 'cus_cluster') }))));
    const final = await Promise.all(placed.map(({ url, id }) => completed(url, id)));
    expect(final.map((order) => order.status)).toEqual(placed.map(() => 'COMPLETED'));
    expect(stack.proxy.answered.every((count) => count > 0)).toBe(true);
  });

  it("spreads the orders over both workers, as each worker's own metrics show", async () => {
    const ids = await Promise.all(Array.from({ length: 16 }, () => placeOrder(stack.urls.api, 'cus_spread')));
    await Promise.all(ids.map((id) => completed(stack.urls.api, id)));
    const perWorker = await Promise.all(stack.urls.workerMetrics.map(async (url) => (await scrape(url)).value('orders_completed_total')));
    // Every order so far completed on one worker or the other, and each took some.
    expect(perWorker.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(ids.length + 9);
    for (const count of perWorker) expect(count).toBeGreaterThan(0);
  });

  it('loses nothing when a worker, an API and a history process are killed mid-run: the chaos invariant checker finds 0 violations', async () => {
    const placing: Promise<AcceptedOrder>[] = [];
    const placeSome = (n: number) => {
      for (let i = 0; i < n; i += 1) placing.push(placeAcceptedOrder(stack.urls.api, 'cus_chaos'));
    };
    placeSome(10);
    await Promise.all(placing.slice(0, 3));
    await Promise.all([killService('worker-2'), killService('api-2'), killTemporal('history-2')]);
    placeSome(10);
    // What an orchestrator does next: the dead processes come back.
    await Promise.all([stack.restartService('worker-2'), stack.restartService('api-2'), restartTemporal('history-2')]);
    // The restarted history process serves again: with the other one dead, it alone carries every shard.
    await killTemporal('history-1');
    placeSome(5);
    const accepted = await Promise.all(placing);
    await restartTemporal('history-1');
    expect(new Set(accepted.map((order) => order.orderId)).size).toBe(25);

    const drain = await drainOrders({ db: database.db, temporal: temporal(), deadlineMs: 240_000 });
    expect(drain.open).toEqual({ rows: 0, workflows: 0 });
    const final = await Promise.all(accepted.map(({ orderId }) => completed(stack.urls.api, orderId)));
    expect(final.every((order) => order.status === 'COMPLETED')).toBe(true);
    const initialStock = Object.fromEntries(DEMO_CATALOGUE.map((product) => [product.sku, product.stockAvailable]));
    // Every order of the run, this test's and the earlier ones': rows, workflows, money, stock, notifications, read model.
    const report = await checkInvariants({ db: database.db, temporal: temporal(), initialStock, accepted });
    expect(report.violations).toEqual([]);
    expect(report.checked.accepted).toBe(25);
    expect(report.checked.workflows).toBe(report.checked.orders);
    expect(report.checked.orders).toBeGreaterThanOrEqual(25 + 9 + 16);
  });
});
