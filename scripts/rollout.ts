/**
 * `npm run rollout`: a rolling deploy of the order workflow from build v1 to v2 under load, with
 * Worker Deployment Versioning, and a table of what happened (scripts/rollout/rolling-deploy.ts).
 *
 *   npm run rollout                                   # on a dev server of its own
 *   npm run rollout -- --temporal-address 127.0.0.1:7233   # on a running server: `npm start`'s, or the cluster
 *   npm run rollout -- --cluster                      # on a Temporal cluster of its own (npm run cluster's services)
 *
 * The database, the gateway simulator, the API and the workers of both builds run in this process,
 * on a task queue and a deployment of the run's own, so it never touches the orders of a stack it
 * runs beside. Exits 1 when anything in the rollout was not clean.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DefaultLogger, makeTelemetryFilterString, Runtime } from '@temporalio/worker';
import { createDatabaseIfMissing, startEmbeddedPostgres, type RunningPostgres } from '../devstack/embedded-postgres.js';
import { freePort } from '../devstack/free-port.js';
import { ensureTemporalCli } from '../devstack/temporal-cli.js';
import { startTemporalDevServer, type DevServer } from '../devstack/temporal-dev-server.js';
import { EncryptionCodec, orderDataConverter, parsePayloadKeyring } from '../src/platform/codec/index.js';
import { createLogger } from '../src/platform/logger.js';
import { ORDER_SEARCH_ATTRIBUTE_TYPES } from '../src/workflows/search-attributes.js';
import { bundleBuild, BUILD_SOURCES } from './rollout/builds.js';
import { DeploymentCli } from './rollout/deployment-cli.js';
import { formatRolloutReport, rolloutProblems } from './rollout/rollout-report.js';
import { startRolloutCluster } from './rollout/rollout-cluster.js';
import { startRolloutStack } from './rollout/rollout-stack.js';
import { runRollingDeploy } from './rollout/rolling-deploy.js';

const { values: args } = parseArgs({
  options: {
    'temporal-address': { type: 'string' },
    cluster: { type: 'boolean', default: false },
    namespace: { type: 'string', default: 'default' },
    'database-url': { type: 'string' },
    'deployment-name': { type: 'string' },
    workers: { type: 'string', default: '2' },
    concurrency: { type: 'string', default: '4' },
    'gateway-latency-ms': { type: 'string', default: '800' },
    'drain-timeout-ms': { type: 'string' },
  },
});

const say = (line: string) => console.log(`[rollout] ${line}`);
Runtime.install({ logger: new DefaultLogger('ERROR'), telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'ERROR' }) } } });

const cleanups: (() => Promise<void>)[] = [];
let exitCode = 1;
try {
  const cliPath = await ensureTemporalCli(process.env, say);
  let address = args['temporal-address'];
  let databaseUrl = args['database-url'];
  if (args.cluster) {
    if (address) throw new Error('--cluster starts a cluster of its own: leave out --temporal-address');
    say('starting a Temporal cluster of its own: PostgreSQL, then frontend, history ×2, matching, worker');
    const cluster = await startRolloutCluster(process.env, say, cliPath);
    cleanups.push(() => cluster.stop());
    address = cluster.address;
    databaseUrl ??= cluster.databaseUrl;
    say(`cluster up at ${address}: ${cluster.processes.join(', ')}`);
  }
  if (!address) {
    const server: DevServer = await startTemporalDevServer({
      binary: cliPath,
      port: await freePort(),
      uiPort: null,
      searchAttributes: ORDER_SEARCH_ATTRIBUTE_TYPES,
      logLevel: 'error',
    });
    cleanups.push(() => server.stop());
    address = server.address;
    say(`dev server of its own at ${address}`);
  }
  if (!databaseUrl) {
    const dataDir = mkdtempSync(join(tmpdir(), 'order-rollout-'));
    // PostgreSQL runs as the `postgres` user when we are root, so it must be able to enter this folder.
    chmodSync(dataDir, 0o755);
    const postgres: RunningPostgres = await startEmbeddedPostgres({ dataDir: join(dataDir, 'postgres'), port: await freePort() });
    cleanups.push(async () => {
      await postgres.stop();
      rmSync(dataDir, { recursive: true, force: true });
    });
    await createDatabaseIfMissing(postgres.url('postgres'), 'rollout');
    databaseUrl = postgres.url('rollout');
  }
  // A key of this run's own: the rollout's payloads are encrypted as production's are.
  const dataConverter = orderDataConverter(new EncryptionCodec(parsePayloadKeyring(`rollout:${randomBytes(32).toString('base64')}`)));
  const suffix = randomUUID().slice(0, 8);
  const deploymentName = args['deployment-name'] ?? `orders-rollout-${suffix}`;
  const taskQueue = `rollout-${suffix}`;
  say('bundling builds v1 (src/workflows) and v2 (scripts/rollout/order-workflow-v2.ts)');
  const [v1, v2] = await Promise.all([bundleBuild('v1', BUILD_SOURCES.v1), bundleBuild('v2', BUILD_SOURCES.v2)]);
  const stack = await startRolloutStack({
    temporalAddress: address,
    namespace: args.namespace,
    databaseUrl,
    dataConverter,
    taskQueue,
    deploymentName,
    catalogue: [{ sku: 'KBD-001', name: 'Mechanical keyboard', unitPrice: 8900, currency: 'USD', stockAvailable: 100_000 }],
    gatewayLatencyMs: Number(args['gateway-latency-ms']),
    logger: createLogger({ name: 'rollout', level: 'warn' }),
  });
  cleanups.unshift(() => stack.stop());
  const report = await runRollingDeploy({
    stack,
    cli: new DeploymentCli(cliPath, address, args.namespace),
    deploymentName,
    taskQueue,
    v1,
    v2,
    workersPerBuild: Number(args.workers),
    concurrency: Number(args.concurrency),
    warmupOrders: 8,
    ordersOnV2: 12,
    ordersAfterV1Stopped: 4,
    items: [{ sku: 'KBD-001', quantity: 1 }],
    // A server on Temporal's defaults reports DRAINED up to 3 + 3 minutes after the last pinned order closes.
    drainTimeoutMs: Number(args['drain-timeout-ms'] ?? (args['temporal-address'] ? 420_000 : 60_000)),
    dataConverter,
    log: say,
  });
  console.log(`\n${formatRolloutReport(report, { v1: 'v1', v2: 'v2' })}\n`);
  const problems = rolloutProblems(report, { v1: 'v1', v2: 'v2' });
  if (problems.length === 0) {
    say(`clean: ${report.orders.length} orders, 0 failed, no nondeterminism errors`);
    exitCode = 0;
  } else {
    for (const problem of problems) say(`PROBLEM: ${problem}`);
  }
} catch (error) {
  console.error(error);
} finally {
  for (const cleanup of cleanups) await cleanup().catch((error: unknown) => console.error(error));
}
process.exit(exitCode);
