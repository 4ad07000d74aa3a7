import { NativeConnection, Worker } from '@temporalio/worker';
import { inject } from 'vitest';
import { createWebhookActivities, type WebhookActivities } from '../../src/activities/webhooks/index.js';
import type { WebhookDeps } from '../../src/api/http/app-env.js';
import type { Database } from '../../src/db/client.js';
import type { WebhookTimings } from '../../src/domain/webhook-timings.js';
import { OutboundAddressPolicy } from '../../src/platform/outbound-address.js';
import { WebhookSecrets } from '../../src/platform/webhook-secrets.js';
import { webhookTaskQueue } from '../../src/workflows/webhook-messages.js';
import { parsePayloadKeyring } from '../../src/platform/codec/index.js';
import { TEST_DATA_CONVERTER, TEST_PAYLOAD_KEYS } from './payload-codec.js';
import { installQuietRuntime, runTestWorkers, type TestWorker } from './temporal.js';

/** Test receivers listen on loopback, which production refuses: the tests allow it, as an operator would a private network. */
export const LOOPBACK_NETWORKS = ['127.0.0.0/8', '::1/128'];

/** Fast enough for a test: retries a second or less apart, a poll every 100 ms. The window is the test's to choose. */
export const fastWebhookTimings = (overrides: Partial<WebhookTimings> = {}): Partial<WebhookTimings> => ({
  retryInitialIntervalMs: 200,
  retryMaximumIntervalMs: 1_000,
  attemptTimeoutMs: 5_000,
  pollIntervalMs: 100,
  ...overrides,
});

export interface WebhookStackOptions {
  timings?: Partial<WebhookTimings>;
  /** False leaves the webhook worker stopped (a test runs its own, in another process). */
  startWorker?: boolean;
  deliveryTimeoutMs?: number;
}

/** The dispatchers' worker alone: the webhooks queue has no saga activities, so no payments or notifications siblings. */
async function startWebhookTestWorker(taskQueue: string, activities: WebhookActivities): Promise<TestWorker> {
  installQuietRuntime();
  const connection = await NativeConnection.connect({ address: inject('temporalAddress') });
  const worker = await Worker.create({
    connection,
    taskQueue,
    activities,
    workflowBundle: { codePath: inject('workflowBundlePath') },
    dataConverter: TEST_DATA_CONVERTER,
  });
  return runTestWorkers([worker], connection);
}

export interface WebhookParts {
  apiDeps: WebhookDeps;
  activities: WebhookActivities;
  taskQueue: string;
  startWorker(): Promise<void>;
  stopWorker(): Promise<void>;
}

/** The webhook side of an order stack: the API's dependencies and a worker on the stack's `-webhooks` queue. */
export async function startWebhookParts(db: Database, orderTaskQueue: string, options: WebhookStackOptions): Promise<WebhookParts> {
  const secrets = new WebhookSecrets(parsePayloadKeyring(TEST_PAYLOAD_KEYS));
  const policy = new OutboundAddressPolicy(LOOPBACK_NETWORKS);
  const activities = createWebhookActivities({ db, secrets, policy, limits: { timeoutMs: options.deliveryTimeoutMs ?? 2_000, maxResponseBytes: 16 * 1024 } });
  let worker: TestWorker | undefined;
  const parts: WebhookParts = {
    apiDeps: { secrets, policy, timings: fastWebhookTimings(options.timings) },
    activities,
    taskQueue: webhookTaskQueue(orderTaskQueue),
    async startWorker() {
      worker ??= await startWebhookTestWorker(webhookTaskQueue(orderTaskQueue), activities);
    },
    async stopWorker() {
      await worker?.stop();
      worker = undefined;
    },
  };
  if (options.startWorker !== false) await parts.startWorker();
  return parts;
}
