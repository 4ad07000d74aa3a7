import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freeClusterPorts } from '../../devstack/cluster-ports.js';
import { startClusterStack, type ClusterStack } from '../../devstack/cluster-stack.js';
import { ensureTemporalCli } from '../../devstack/temporal-cli.js';
import { waitFor } from '../../devstack/wait-for.js';
import type { OrderSummary } from '../../src/api/orders/index.js';
import { connectDatabase, type DatabaseHandle } from '../../src/db/client.js';
import { DEMO_CATALOGUE } from '../../src/db/seed.js';
import { scrape } from '../observability/support/scrape.js';
import { anOrderRequest, call, setDefaultToken, waitForOrderStatus } from '../support/api-client.js';
import { findMoneyViolations } from '../../chaos/invariants/money.js';

/**
 * The whole system on a real Temporal cluster (`npm run cluster`'s launcher, on free ports and a
 * data folder of its own): five Temporal service processes on PostgreSQL, two workers, two APIs.
 */
let stack: ClusterStack;
let database: DatabaseHandle;
let workDir: string;
const quiet = () => {};

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'order-saga-cluster-'));
  // PostgreSQL runs as the `postgres` user when we are root, so it must be able to enter this folder.
  chmodSync(workDir, 0o755);
  stack = await startClusterStack({ env: process.env, dataDir: workDir, ports: await freeClusterPorts(), onLine: quiet, progress: quiet });
  database = connectDatabase(stack.urls.database, { poolSize: 2 });
  // waitForOrderStatus reads with each URL's default token.
  for (const url of [stack.urls.api, ...stack.urls.apis]) setDefaultToken(url, stack.secrets.adminToken);
});

afterAll(async () => {
  await database?.close();
  await stack?.stop();
  rmSync(workDir, { recursive: true, force: true });
});

const admin = () => ({ token: stack.secrets.adminToken });

/** Places an order as a client with an Idempotency-Key does: a dropped connection or a 5xx is retried with the same key. */
async function placeOrder(baseUrl: string, customerId: string): Promise<string> {
  const key = randomUUID();
  return waitFor(
    `an order placed through ${baseUrl}`,
    async () => {
      const { status, body } = await call<OrderSummary>(baseUrl, 'POST', '/orders', anOrderRequest({ customerId }), { 'Idempotency-Key': key }, admin());
      if (status === 202 || status === 201) return body.id;
      throw new Error(`answered ${status}: ${JSON.stringify(body).slice(0, 200)}`);
    },
    { timeoutMs: 60_000, intervalMs: 250 },
  );
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

  it('loses nothing when a worker, an API and a history service are killed mid-run', async () => {
    const orders: Promise<string>[] = [];
    const placeSome = (n: number) => {
      for (let i = 0; i < n; i += 1) orders.push(placeOrder(stack.urls.api, 'cus_chaos'));
    };
    placeSome(10);
    await Promise.all(orders.slice(0, 3));
    for (const name of ['worker-2', 'api-2']) stack.services.get(name)!.child.kill('SIGKILL');
    stack.temporal.processes.get('history-2')!.child.kill('SIGKILL');
    placeSome(10);
    // What an orchestrator does next: the dead processes come back.
    await Promise.all([stack.restartService('worker-2'), stack.restartService('api-2')]);
    stack.temporal.restart('history-2');
    placeSome(5);
    const ids = await Promise.all(orders);
    expect(new Set(ids).size).toBe(25);
    const final = await Promise.all(ids.map((id) => completed(stack.urls.api, id)));
    expect(final.every((order) => order.status === 'COMPLETED')).toBe(true);
    const initialStock = Object.fromEntries(DEMO_CATALOGUE.map((product) => [product.sku, product.stockAvailable]));
    expect(await findMoneyViolations({ db: database.db, initialStock })).toEqual([]);
  });
});
