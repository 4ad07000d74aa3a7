import type { DataConverter } from '@temporalio/common';
import { Worker } from '@temporalio/worker';
import { waitFor } from '../../devstack/wait-for.js';
import type { DeploymentCli, DrainageStatus } from './deployment-cli.js';
import { orderEvidence, type OrderEvidence } from './order-evidence.js';
import { startOrderLoad, type PlacedOrder } from './order-load.js';
import type { Build, RolloutStack } from './rollout-stack.js';

export interface RollingDeployOptions {
  stack: RolloutStack;
  cli: DeploymentCli;
  deploymentName: string;
  taskQueue: string;
  v1: Build;
  v2: Build;
  workersPerBuild: number;
  /** Customers placing orders at once, all through the deploy. */
  concurrency: number;
  /** Orders that finish on v1 before v2 starts, and that start on v2 before the load stops. */
  warmupOrders: number;
  ordersOnV2: number;
  /** Orders placed (and finished) once v1's workers are gone: v2 alone serves them. */
  ordersAfterV1Stopped: number;
  items: { sku: string; quantity: number }[];
  /** How long v1 may take to report DRAINED (the dev server: seconds; a cluster on defaults: about 6 minutes). */
  drainTimeoutMs: number;
  /** For replaying each build's histories: the converter the workers wrote them with. */
  dataConverter: DataConverter;
  log: (line: string) => void;
}

/** One order, where it started, where it ran, how it ended. */
export interface RolledOrder extends PlacedOrder, Omit<OrderEvidence, 'history' | 'orderId'> {
  /** The build that was current when it was placed: v1 before the switch, v2 after, `switching` while the CLI ran. */
  placedUnder: string;
  /** Placed on v1 and not yet finished when v2 became current. */
  inFlightAtSwitch: boolean;
}

export interface ReplayCheck {
  what: string;
  histories: number;
  /** The error names of the replays that failed, by count. */
  failures: Record<string, number>;
}

export interface RollingDeployReport {
  deploymentName: string;
  taskQueue: string;
  orders: RolledOrder[];
  /** The drainage statuses v1 went through after the switch, in order. */
  v1Drainage: DrainageStatus[];
  timeline: { atMs: number; step: string }[];
  replays: ReplayCheck[];
}

async function replayAll(bundle: Build['bundle'], dataConverter: DataConverter, histories: OrderEvidence[], what: string): Promise<ReplayCheck> {
  const failures: Record<string, number> = {};
  const input = histories.map((h) => ({ workflowId: h.orderId, history: h.history }));
  for await (const { error } of Worker.runReplayHistories({ workflowBundle: bundle, dataConverter, replayName: `rollout-${what}` }, input)) {
    if (error) failures[error.name] = (failures[error.name] ?? 0) + 1;
  }
  return { what, histories: histories.length, failures };
}

/**
 * The rolling deploy, step by step, as an operator runs it: v1's workers, v1 current, load on;
 * v2's workers beside them, v2 current with the CLI; the orders in flight finish on v1 while new
 * ones start on v2; v1 drains, its workers stop; v2 alone takes the next orders, all under the
 * same load. Then the
 * evidence, from Temporal itself: each order's pinned version and the build of every workflow
 * task in its history, and each build's histories replayed against its own bundle.
 */
export async function runRollingDeploy(options: RollingDeployOptions): Promise<RollingDeployReport> {
  const { stack, cli, deploymentName, v1, v2, log } = options;
  const started = Date.now();
  const timeline: RollingDeployReport['timeline'] = [];
  const step = (what: string) => {
    timeline.push({ atMs: Date.now() - started, step: what });
    log(what);
  };
  const registered = (build: Build) =>
    waitFor(
      `version ${deploymentName}:${build.buildId} to register on ${options.taskQueue}`,
      async () => ((await cli.describeVersion(deploymentName, build.buildId)).taskQueues.includes(options.taskQueue) ? true : undefined),
      { timeoutMs: 30_000, intervalMs: 250 },
    );

  const v1Workers = await stack.startWorkers(v1, options.workersPerBuild);
  await registered(v1);
  step(`${options.workersPerBuild} workers of ${v1.buildId} polling`);
  // The deployment's first version must be made current too: until then its workers get no new workflows.
  await cli.setCurrentVersion(deploymentName, v1.buildId);
  step(`set-current-version ${v1.buildId}`);

  const load = startOrderLoad({ apiUrl: stack.apiUrl, adminToken: stack.adminToken, temporal: stack.temporal, concurrency: options.concurrency, items: options.items });
  const finished = () => load.orders.filter((o) => o.finishedAt !== undefined);
  await waitFor(`${options.warmupOrders} orders to finish on ${v1.buildId}`, async () => (finished().length >= options.warmupOrders ? true : undefined), {
    timeoutMs: 120_000,
    intervalMs: 200,
  });
  step(`load on: ${options.concurrency} customers, ${finished().length} orders done on ${v1.buildId}`);

  const v2Workers = await stack.startWorkers(v2, options.workersPerBuild);
  await registered(v2);
  step(`${options.workersPerBuild} workers of ${v2.buildId} polling beside ${v1.buildId}`);

  const switchStart = Date.now();
  const inFlightAtSwitch = new Set(load.inFlight().map((o) => o.orderId));
  await cli.setCurrentVersion(deploymentName, v2.buildId);
  const switchEnd = Date.now();
  step(`set-current-version ${v2.buildId} (${inFlightAtSwitch.size} orders in flight on ${v1.buildId})`);

  const v1Drainage: DrainageStatus[] = [];
  const noteDrainage = async () => {
    const { drainageStatus } = await cli.describeVersion(deploymentName, v1.buildId);
    if (v1Drainage.at(-1) !== drainageStatus) {
      v1Drainage.push(drainageStatus);
      step(`${v1.buildId} drainage: ${drainageStatus}`);
    }
    return drainageStatus;
  };
  // v1 drains under load: the orders pinned to it finish, the new ones go to v2; then its workers stop.
  await waitFor(`${v1.buildId} to report drained`, async () => ((await noteDrainage()) === 'drained' ? true : undefined), {
    timeoutMs: options.drainTimeoutMs,
    intervalMs: 500,
  });
  await v1Workers.stop();
  const v1Stopped = Date.now();
  step(`${v1.buildId} workers stopped; ${v2.buildId} serves alone`);

  const finishedSince = (at: number) => load.orders.filter((o) => o.placedAt > at && o.finishedAt !== undefined).length;
  await waitFor(
    `${options.ordersOnV2} orders placed after the switch, ${options.ordersAfterV1Stopped} after ${v1.buildId} stopped, to finish`,
    async () => (finishedSince(switchEnd) >= options.ordersOnV2 && finishedSince(v1Stopped) >= options.ordersAfterV1Stopped ? true : undefined),
    { timeoutMs: 120_000, intervalMs: 250 },
  );
  await load.stop();
  step(`load off: ${load.orders.length} orders placed, ${finishedSince(v1Stopped)} of them after ${v1.buildId} stopped`);

  const all = load.orders.filter((o) => !o.orderId.startsWith('('));
  const evidence = await Promise.all(all.map((o) => orderEvidence(stack.temporal, o.orderId)));
  const orders: RolledOrder[] = all.map((order, i) => {
    const { history: _history, orderId: _id, ...facts } = evidence[i]!;
    const placedUnder = order.placedAt < switchStart ? v1.buildId : order.placedAt > switchEnd ? v2.buildId : 'switching';
    return { ...order, ...facts, placedUnder, inFlightAtSwitch: inFlightAtSwitch.has(order.orderId) };
  });
  // Orders that could not be placed count as failed: keep them in the report.
  for (const unplaced of load.orders.filter((o) => o.orderId.startsWith('('))) {
    orders.push({
      ...unplaced,
      behavior: '-',
      pinnedBuildId: undefined,
      taskBuildIds: [],
      firstStep: undefined,
      failedTasks: [],
      placedUnder: '-',
      inFlightAtSwitch: false,
    });
  }

  const onBuild = (buildId: string) => evidence.filter((e) => e.pinnedBuildId === buildId);
  const replays = [
    await replayAll(v1.bundle, options.dataConverter, onBuild(v1.buildId), `${v1.buildId} histories on ${v1.buildId}`),
    await replayAll(v2.bundle, options.dataConverter, onBuild(v2.buildId), `${v2.buildId} histories on ${v2.buildId}`),
    // What pinning spared them: v1's orders on v2's code.
    await replayAll(v2.bundle, options.dataConverter, onBuild(v1.buildId), `${v1.buildId} histories on ${v2.buildId}`),
  ];
  step('evidence gathered, histories replayed');
  await v2Workers.stop();
  return { deploymentName, taskQueue: options.taskQueue, orders, v1Drainage, timeline, replays };
}
