/**
 * A webhook worker in a process of its own, for the test that SIGKILLs it mid-retry: the real
 * activities and dispatcher workflow, loopback allowed, on the Temporal server and database the
 * test names in the environment.
 */
import { NativeConnection, Runtime, DefaultLogger } from '@temporalio/worker';
import { createWebhookActivities } from '../../src/activities/webhooks/index.js';
import { connectDatabase } from '../../src/db/client.js';
import { OutboundAddressPolicy } from '../../src/platform/outbound-address.js';
import { parsePayloadKeyring } from '../../src/platform/codec/index.js';
import { WebhookSecrets } from '../../src/platform/webhook-secrets.js';
import { createWebhookWorker } from '../../src/worker/webhook-worker.js';
import { LOOPBACK_NETWORKS } from '../support/webhook-parts.js';
import { TEST_DATA_CONVERTER, TEST_PAYLOAD_KEYS } from '../support/payload-codec.js';

const env = (name: string) =>
  process.env[name] ??
  (() => {
    throw new Error(`${name} is not set`);
  })();

Runtime.install({ logger: new DefaultLogger('ERROR') });
const database = connectDatabase(env('DATABASE_URL'), { poolSize: 5 });
const connection = await NativeConnection.connect({ address: env('TEMPORAL_ADDRESS') });
const worker = await createWebhookWorker({
  connection,
  taskQueue: env('ORDER_TASK_QUEUE'),
  workflowBundle: { codePath: env('WORKFLOW_BUNDLE_PATH') },
  dataConverter: TEST_DATA_CONVERTER,
  activities: createWebhookActivities({
    db: database.db,
    secrets: new WebhookSecrets(parsePayloadKeyring(TEST_PAYLOAD_KEYS)),
    policy: new OutboundAddressPolicy(LOOPBACK_NETWORKS),
    limits: { timeoutMs: 2_000, maxResponseBytes: 16 * 1024 },
  }),
});
console.log('webhook worker polling');
await worker.run();
await connection.close();
await database.close();
