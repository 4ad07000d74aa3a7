import { join } from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { Client, Connection } from '@temporalio/client';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { spawnManaged, type ManagedProcess } from '../../devstack/child-process.js';
import { freePort } from '../../devstack/free-port.js';
import { REPO_ROOT as repoRoot } from '../../devstack/repo-root.js';
import { startTemporalDevServer, type DevServer } from '../../devstack/temporal-dev-server.js';
import { waitFor } from '../../devstack/wait-for.js';
import { recordOrderEvent } from '../../src/db/order-event-log.js';
import { webhookDeliveries, webhookEndpoints } from '../../src/db/schema.js';
import { OutboundAddressPolicy } from '../../src/platform/outbound-address.js';
import { WebhookSecrets } from '../../src/platform/webhook-secrets.js';
import { parsePayloadKeyring } from '../../src/platform/codec/index.js';
import { startDispatcher } from '../../src/api/webhooks/dispatchers.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { aPendingOrder, aProduct, insertProducts } from '../support/order-fixtures.js';
import { TEST_DATA_CONVERTER, TEST_PAYLOAD_KEYS } from '../support/payload-codec.js';
import { uniqueTaskQueue } from '../support/temporal.js';
import { fastWebhookTimings, LOOPBACK_NETWORKS } from '../support/webhook-parts.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';

// A Temporal server of this file's own, on SQLite, because the test restarts it: the run's shared one must stay up.
let workDir: string;
let temporal: DevServer;
let temporalPort: number;
let database: TestDatabase;
let receiver: WebhookReceiver;
const taskQueue = uniqueTaskQueue('crash');

const startTemporal = async () =>
  (temporal = await startTemporalDevServer({
    binary: inject('temporalCliPath'),
    port: temporalPort,
    uiPort: null,
    dbFilename: join(workDir, 'temporal.db'),
    logLevel: 'error',
  }));

function startWorkerProcess(): ManagedProcess {
  const lines: string[] = [];
  const worker = spawnManaged('webhook-worker', process.execPath, ['--import', 'tsx', join(repoRoot, 'test/events/webhook-worker-process.ts')], {
    cwd: repoRoot,
    env: {
      ...process.env,
      DATABASE_URL: database.url,
      TEMPORAL_ADDRESS: temporal.address,
      ORDER_TASK_QUEUE: taskQueue,
      WORKFLOW_BUNDLE_PATH: inject('workflowBundlePath'),
    },
    onLine: (line) => lines.push(line),
  });
  void worker.exited.then((code) => code !== 0 && code !== null && console.error(`webhook worker exited ${code}:\n${lines.slice(-20).join('\n')}`));
  return worker;
}

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'webhook-crash-'));
  temporalPort = await freePort();
  await startTemporal();
  database = await createTestDatabase('webhook_crash');
  receiver = await startWebhookReceiver();
});
afterAll(async () => {
  await receiver?.close();
  await temporal?.stop();
  await database?.drop();
  rmSync(workDir, { recursive: true, force: true });
});

describe('webhook deliveries across crashes', () => {
  it('survive a worker SIGKILL and a Temporal restart mid-retry: every event accepted exactly once', async () => {
    const { db } = database;
    const secrets = new WebhookSecrets(parsePayloadKeyring(TEST_PAYLOAD_KEYS));
    expect(await new OutboundAddressPolicy(LOOPBACK_NETWORKS).checkUrl(receiver.url)).toBeUndefined();
    const [endpoint] = await db
      .insert(webhookEndpoints)
      .values({ id: crypto.randomUUID(), url: receiver.url, eventTypes: [], sealedSecret: secrets.seal(WebhookSecrets.generate()), status: 'ENABLED' })
      .returning();
    // Three orders' worth of events, recorded as the activities record them.
    const [keyboard] = await insertProducts(db, aProduct());
    const eventIds: string[] = [];
    for (let i = 0; i < 3; i++) {
      const order = await aPendingOrder(db, { lines: [{ product: keyboard, quantity: 1 }] });
      for (const type of ['order.reserved', 'order.completed'] as const) {
        await db.transaction((tx) =>
          recordOrderEvent(
            tx,
            type === 'order.reserved' ? { type, orderId: order.orderId, data: { lines: [] } } : { type, orderId: order.orderId, data: { total: order.total } },
          ),
        );
      }
    }
    // The receiver is down (500) until the test says otherwise.
    let accepting = false;
    receiver.answer = () => (accepting ? 200 : 500);

    let worker = startWorkerProcess();
    const client = new Client({ connection: await Connection.connect({ address: temporal.address }), dataConverter: TEST_DATA_CONVERTER });
    await startDispatcher({ temporal: client, taskQueue, timings: fastWebhookTimings({ retryWindowMs: 10 * 60_000 }) }, endpoint!.id, 0);
    await waitFor('deliveries to be retrying', async () => (receiver.requests.length >= 4 ? true : undefined), { timeoutMs: 60_000 });

    worker.child.kill('SIGKILL');
    await worker.exited;
    await client.connection.close();
    await temporal.stop();
    await startTemporal();
    worker = startWorkerProcess();
    const retriesBefore = receiver.requests.length;
    await waitFor('retries to go on after the restarts', async () => (receiver.requests.length > retriesBefore ? true : undefined), { timeoutMs: 90_000 });

    accepting = true;
    const delivered = await waitFor(
      'every event delivered',
      async () => {
        const rows = await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.endpointId, endpoint!.id));
        const done = rows.filter((r) => r.status === 'DELIVERED');
        if (done.length < 6) throw new Error(`${done.length} of 6 delivered`);
        return done;
      },
      { timeoutMs: 90_000 },
    );
    for (const row of delivered) {
      eventIds.push(row.eventId);
      expect(receiver.acceptedCount(row.eventId)).toBe(1);
    }
    expect(new Set(eventIds).size).toBe(6);
    expect(receiver.accepted.size).toBe(6);
    await worker.stop();
  }, 300_000);
});
