import type { Client } from '@temporalio/client';
import type { Database } from '../../src/db/client.js';
import { orderWorkflowId } from '../../src/domain/order.js';
import { startClusterBench, type ClusterBench } from '../cluster-bench-stack.js';
import { runClosedLoop } from '../load/closed-loop.js';
import { placeBenchOrder } from '../load/place-order.js';
import { orderFacts } from '../measure/order-facts.js';
import { cpuBetween, cpuSnapshot } from '../measure/processes.js';
import { distribution, ratePerSecond, ratio, type Distribution } from '../measure/stats.js';
import { SCRATCH_DIR } from '../settings.js';
import type { PhaseContext } from './phase-context.js';

export type TemporalServerKind = 'dev server' | 'cluster';

/** One measurement of phase 9: N orders end to end on one server with one or two workers. */
export interface ScaleRun {
  server: TemporalServerKind;
  workers: 1 | 2;
  orders: number;
  /** Orders that reached COMPLETED per second, from the first acceptance to the last, on PostgreSQL's clock. */
  perSecond: number;
  /** POST → COMPLETED in the read model. */
  toFinalStatusMs: Distribution;
  /** CPU of every process the bench started (both stacks, the bench itself), per order, and the part of it the machine's other users spent. */
  cpuMsPerOrder: number;
  foreignCores: number;
}

export interface ClusterScaleResult {
  runs: ScaleRun[];
  /** Two workers against one, on each server; the cluster against the dev server, with each worker count. */
  ratios: { twoOverOne: Record<TemporalServerKind, number>; clusterOverDevServer: Record<'1' | '2', number> };
  clusterStartSeconds: number;
}

interface Target {
  server: TemporalServerKind;
  workers: 1 | 2;
  apiUrl: string;
  token: string;
  temporal: Client;
  db: Database;
}

/** A warm-up round (not counted), then `count` orders with `concurrency` in flight, each to its workflow's close. */
async function measure({ settings, runId, progress }: PhaseContext, target: Target): Promise<ScaleRun> {
  const { clusterOrders: count, workflowConcurrency: concurrency, phaseTimeoutMs } = settings;
  const tag = `${runId}-scale-${target.server.replace(' ', '-')}-${target.workers}`;
  const runOne = async (index: number) => {
    const orderId = await placeBenchOrder(target.apiUrl, `${tag}-${index}`, target.token);
    // Waiting is a read: a long poll that an overloaded server cut short is asked again, a few times.
    for (let attempt = 1; ; attempt++) {
      try {
        await target.temporal.workflow.getHandle(orderWorkflowId(orderId)).result();
        return orderId;
      } catch (error) {
        if (attempt >= 5 || (error as Error).name !== 'ServiceError') throw error;
      }
    }
  };
  const what = `phase 9, ${target.server}, ${target.workers} worker${target.workers === 2 ? 's' : ''}`;
  await runClosedLoop({ count: concurrency, concurrency, deadlineMs: phaseTimeoutMs, what: `${what} (warm-up)`, task: (index) => runOne(count + index) });
  progress(`${what}: ${count} orders, ${concurrency} in flight`);
  const before = cpuSnapshot();
  const startedAt = Date.now();
  const ids = await runClosedLoop({ count, concurrency, deadlineMs: phaseTimeoutMs, what, task: runOne });
  const cpu = cpuBetween(before, cpuSnapshot(), Date.now() - startedAt);
  const orders = await orderFacts(target.db, ids);
  const unfinished = orders.filter((order) => order.status !== 'COMPLETED');
  if (orders.length !== ids.length || unfinished.length > 0) throw new Error(`${what}: ${unfinished.length} of ${ids.length} orders did not complete`);
  const ours = Object.entries(cpu)
    .filter(([role]) => role !== 'foreign')
    .reduce((sum, [, use]) => sum + use.seconds, 0);
  const firstAccepted = Math.min(...orders.map((order) => order.createdMs));
  const lastFinal = Math.max(...orders.map((order) => order.updatedMs));
  return {
    server: target.server,
    workers: target.workers,
    orders: count,
    perSecond: ratePerSecond(count, lastFinal - firstAccepted),
    toFinalStatusMs: distribution(orders.map((order) => order.updatedMs - order.createdMs)),
    cpuMsPerOrder: (ours * 1000) / count,
    foreignCores: cpu.foreign?.cores ?? Number.NaN,
  };
}

/**
 * Phase 9 (`--cluster`): orders per second with one worker and with two, on the bench's dev server
 * and then on a real Temporal cluster (`npm run cluster`'s launcher, started here), in the same run.
 * Both send to one API, so the worker count and the server are all that differ.
 */
export async function runClusterScale(context: PhaseContext): Promise<ClusterScaleResult> {
  const { bench, settings, progress } = context;
  const runs: ScaleRun[] = [];
  const dev = { server: 'dev server' as const, apiUrl: bench.stack.urls.api, token: bench.stack.secrets.adminToken, temporal: bench.temporal, db: bench.database.db };
  runs.push(await measure(context, { ...dev, workers: 1 }));
  const added = await bench.stack.processes.addWorker();
  try {
    runs.push(await measure(context, { ...dev, workers: 2 }));
  } finally {
    await bench.stack.processes.kill(added, 'SIGTERM');
  }

  progress('phase 9: starting the Temporal cluster (npm run cluster, on free ports)');
  const startedAt = Date.now();
  let cluster: ClusterBench | undefined;
  try {
    cluster = await startClusterBench({ env: settings.stackEnv, logDir: SCRATCH_DIR, progress });
    const clusterStartSeconds = (Date.now() - startedAt) / 1000;
    const target = {
      server: 'cluster' as const,
      // The first API replica, not the proxy in front of both: one API, as on the dev server.
      apiUrl: cluster.stack.urls.apis[0]!,
      token: cluster.stack.secrets.adminToken,
      temporal: cluster.temporal,
      db: cluster.database.db,
    };
    await cluster.stack.services.get('worker-2')!.stop(20_000);
    runs.push(await measure(context, { ...target, workers: 1 }));
    await cluster.stack.restartService('worker-2');
    runs.push(await measure(context, { ...target, workers: 2 }));
    const rate = (server: TemporalServerKind, workers: 1 | 2) => runs.find((run) => run.server === server && run.workers === workers)!.perSecond;
    return {
      runs,
      ratios: {
        twoOverOne: { 'dev server': ratio(rate('dev server', 2), rate('dev server', 1)), cluster: ratio(rate('cluster', 2), rate('cluster', 1)) },
        clusterOverDevServer: { '1': ratio(rate('cluster', 1), rate('dev server', 1)), '2': ratio(rate('cluster', 2), rate('dev server', 2)) },
      },
      clusterStartSeconds,
    };
  } finally {
    progress('phase 9: stopping the cluster');
    await cluster?.stop();
  }
}
