import { randomUUID } from 'node:crypto';
import { DefaultLogger, makeTelemetryFilterString, Runtime } from '@temporalio/worker';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { bundleBuild, BUILD_SOURCES } from '../../scripts/rollout/builds.js';
import { DeploymentCli } from '../../scripts/rollout/deployment-cli.js';
import { formatRolloutReport, rolloutProblems } from '../../scripts/rollout/rollout-report.js';
import { startRolloutStack, type RolloutStack } from '../../scripts/rollout/rollout-stack.js';
import { runRollingDeploy, type RollingDeployReport } from '../../scripts/rollout/rolling-deploy.js';
import { createLogger } from '../../src/platform/logger.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { TEST_DATA_CONVERTER } from '../support/payload-codec.js';
import { fastSagaTimings } from '../support/saga-timings.js';

const CATALOGUE = [{ sku: 'KBD-001', name: 'Mechanical keyboard', unitPrice: 8900, currency: 'USD', stockAvailable: 10_000 }];
const BUILDS = { v1: 'v1', v2: 'v2' };

describe('a rolling deploy of a new workflow version with Worker Deployment Versioning, under load', () => {
  // A deployment and task queue of this run's own: the run's dev server is shared with every other test file.
  const deploymentName = `orders-rollout-${randomUUID().slice(0, 8)}`;
  const taskQueue = `rollout-${randomUUID().slice(0, 8)}`;
  let database: TestDatabase | undefined;
  let stack: RolloutStack | undefined;
  let report: RollingDeployReport;

  afterAll(async () => {
    await stack?.stop();
    await database?.drop();
  });

  it('orders in flight finish on v1, new orders run v2, v1 drains and stops: none fails, none hits a nondeterminism error', async () => {
    // The cross-replay below fails on purpose: core's warnings about it are expected, not news.
    Runtime.install({ logger: new DefaultLogger('ERROR'), telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'ERROR' }) } } });
    database = await createTestDatabase('rollout');
    const v2 = await bundleBuild(BUILDS.v2, BUILD_SOURCES.v2);
    stack = await startRolloutStack({
      temporalAddress: inject('temporalAddress'),
      namespace: 'default',
      databaseUrl: database.url,
      dataConverter: TEST_DATA_CONVERTER,
      taskQueue,
      deploymentName,
      catalogue: CATALOGUE,
      // Each charge takes 0.8 s, so orders are still in flight when the version changes.
      gatewayLatencyMs: 800,
      sagaTimings: fastSagaTimings(),
      logger: createLogger({ name: 'rollout-test', level: 'silent', pretty: false }),
    });
    report = await runRollingDeploy({
      stack,
      cli: new DeploymentCli(inject('temporalCliPath'), inject('temporalAddress'), 'default'),
      deploymentName,
      taskQueue,
      // v1 is the run's own bundle of src/workflows, as every other test runs it.
      v1: { buildId: BUILDS.v1, bundle: { codePath: inject('workflowBundlePath') } },
      v2,
      workersPerBuild: 2,
      concurrency: 4,
      warmupOrders: 4,
      ordersOnV2: 6,
      ordersAfterV1Stopped: 2,
      items: [{ sku: 'KBD-001', quantity: 1 }],
      drainTimeoutMs: 60_000,
      dataConverter: TEST_DATA_CONVERTER,
      log: () => {},
    });
    console.log(formatRolloutReport(report, BUILDS));

    expect(rolloutProblems(report, BUILDS)).toEqual([]);
    const onV1 = report.orders.filter((o) => o.pinnedBuildId === 'v1');
    const onV2 = report.orders.filter((o) => o.pinnedBuildId === 'v2');
    expect(onV1.filter((o) => o.inFlightAtSwitch).length).toBeGreaterThan(0);
    expect(onV2.length).toBeGreaterThanOrEqual(8);
    expect(new Set(onV2.map((o) => o.firstStep))).toEqual(new Set(['screenForFraud']));
    expect(report.v1Drainage).toEqual(['draining', 'drained']);
  }, 300_000);

  it('proves the checks can fail: the same report, with one v1 order claimed for v2, is refused', () => {
    const tampered = { ...report, orders: report.orders.map((o, i) => (i === 0 ? { ...o, taskBuildIds: ['v1', 'v2'] } : o)) };
    expect(rolloutProblems(tampered, BUILDS).join('\n')).toMatch(/its workflow tasks ran on v1, v2/);
  });
});
