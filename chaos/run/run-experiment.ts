import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'drizzle-orm';
import { mulberry32 } from '../../simulators/payment-gateway/faults.js';
import { orders, products } from '../../src/db/schema.js';
import { seedCatalogue } from '../../src/db/seed.js';
import { checkInvariants, type AcceptedOrder, type Violation } from '../invariants/index.js';
import { retryingOrderClient } from '../load/order-client.js';
import { StatusTally } from '../load/status-tally.js';
import { startChaosStack } from '../stack/chaos-stack.js';
import { defaultCatalogue, randomOrder } from './default-load.js';
import { drainOrders } from './drain.js';
import type { Experiment, ExperimentContext, PlaceOrdersOptions } from './experiment.js';
import { scrapeCounter } from './metric-value.js';
import { countTaskRetries, type TaskRetries } from './task-retries.js';

export interface ExperimentResult {
  name: string;
  fault: string;
  seed: number;
  /** Distinct orders the clients tried to place, and the POSTs that took. */
  sent: number;
  posts: number;
  accepted: number;
  completed: number;
  failedByReason: Record<string, number>;
  cancelled: number;
  violations: Violation[];
  /** Seconds from the fault's end until every order settled; undefined when it never did. */
  drainSeconds: number | undefined;
  retries: TaskRetries;
  apiStatuses: string;
  apiStatusesDuringFault: string;
  /** 500s the API answered: a fault it should have turned into a 503. */
  api500s: number;
  cancelStatuses: string;
  crashes: string[];
  reconciled: number;
  /** `payment_gateway_calls_short_circuited_total` on the worker, when it has the metric. */
  breakerShortCircuits: number | undefined;
  notes: string[];
  logFile: string;
}

export interface RunOptions {
  orders: number;
  seed: number;
  logDir: string;
  progress: (message: string) => void;
  /** Receives the stack's stop once it runs, so an interrupted run can stop it on the way out. */
  onStack?: (stop: () => Promise<void>) => void;
}

const BREAKER_METRIC = 'payment_gateway_calls_short_circuited_total';

/** In order of `count`, `concurrency` at a time, each order `copies` times at once. */
async function placeAll(context: ExperimentContext, accepted: AcceptedOrder[], options: PlaceOrdersOptions, answered: () => void): Promise<void> {
  const { count, concurrency = 8, copies = 1 } = options;
  const planned = Array.from({ length: count }, (_, i) => options.order?.(i) ?? randomOrder(context.random, context.chaos.customers, i, context.seed));
  let next = 0;
  const lane = async () => {
    while (next < planned.length) {
      const order = planned[next++]!;
      const answers = await Promise.all(Array.from({ length: copies }, () => context.client.placeOrder(order.customer, order.key, order.body)));
      for (const answer of answers) {
        if (!answer) continue;
        accepted.push(answer);
        options.onAccepted?.(answer, order.customer);
      }
      answered();
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, lane));
}

/** Starts a fresh stack, runs the experiment's load and fault, drains, checks every invariant, and stops the stack. */
export async function runExperiment(experiment: Experiment, options: RunOptions): Promise<ExperimentResult> {
  const say = (message: string) => options.progress(`[${experiment.name}] ${message}`);
  say('starting the stack');
  const chaos = await startChaosStack({ customers: experiment.customers ?? 20, env: experiment.env, logDir: options.logDir, progress: say });
  options.onStack?.(() => chaos.stop());
  const crashes: string[] = [];
  void chaos.stack.crashed.then(({ name, how }) => crashes.push(`${name} (${how})`));
  try {
    await seedCatalogue(chaos.db.db, [...defaultCatalogue(options.orders), ...(experiment.catalogue?.(options.orders) ?? [])]);
    const initialStock = new Map((await chaos.db.db.select({ sku: products.sku, stock: products.stockAvailable }).from(products)).map((p) => [p.sku, p.stock]));
    const tally = new StatusTally();
    const cancelTally = new StatusTally();
    const accepted: AcceptedOrder[] = [];
    const notes: string[] = [];
    const window: { start?: number; end?: number } = {};
    let sent = 0;
    const context: ExperimentContext = {
      orders: options.orders,
      seed: options.seed,
      random: mulberry32(options.seed),
      chaos,
      client: retryingOrderClient({ apiUrl: chaos.stack.urls.api, tally, cancelTally, giveUpAfterMs: 120_000 }),
      tally,
      cancelTally,
      async placeOrders(placing) {
        sent += placing.count;
        await placeAll(context, accepted, placing, () => {});
      },
      async withFaultMidFlow({ at = 0.3, ...placing }, fault) {
        sent += placing.count;
        let answered = 0;
        let reached: () => void = () => {};
        const threshold = new Promise<void>((resolve) => (reached = resolve));
        const load = placeAll(context, accepted, placing, () => {
          if (++answered >= Math.ceil(placing.count * at)) reached();
        });
        await Promise.race([threshold, load]);
        context.faultStarted();
        await fault();
        context.faultEnded();
        await load;
      },
      faultStarted() {
        window.start = Date.now();
        tally.phase = 'fault';
        say('fault begins');
      },
      faultEnded() {
        window.end = Date.now();
        tally.phase = 'after';
        say('fault ends');
      },
      hold: (ms) => sleep(ms),
      note: (text) => notes.push(text),
    };

    say(`driving ${options.orders} orders (seed ${options.seed})`);
    await experiment.run(context);
    const faultEnd = window.end ?? Date.now();
    say(`all orders sent (${accepted.length} accepted); draining`);
    const drain = await drainOrders({ db: chaos.db.db, temporal: chaos.temporal, deadlineMs: experiment.drainDeadlineMs ?? 240_000 });
    if (!drain.drained) notes.push(`not drained: ${drain.open.rows} orders short of final, ${drain.open.workflows} workflows running`);

    say('checking the invariants');
    const report = await checkInvariants({ db: chaos.db.db, temporal: chaos.temporal, initialStock, accepted });
    const byStatus = await chaos.db.db
      .select({ status: orders.status, reason: orders.failureReason, count: sql<number>`count(*)::int` })
      .from(orders)
      .groupBy(orders.status, orders.failureReason);
    const statusCounts: Record<string, number> = {};
    const failedByReason: Record<string, number> = {};
    for (const { status, reason, count } of byStatus) {
      statusCounts[status] = (statusCounts[status] ?? 0) + count;
      if (status === 'FAILED') failedByReason[reason ?? 'none'] = (failedByReason[reason ?? 'none'] ?? 0) + count;
    }
    const violations = [...report.violations, ...(experiment.expect?.({ statusCounts, failedByReason }, context) ?? [])];
    const retries = await countTaskRetries(
      chaos.temporal,
      report.runs.map((run) => run.workflowId),
    );
    return {
      name: experiment.name,
      fault: experiment.fault,
      seed: options.seed,
      sent,
      posts: tally.total(),
      accepted: new Set(accepted.map((a) => a.orderId)).size,
      completed: statusCounts.COMPLETED ?? 0,
      failedByReason,
      cancelled: statusCounts.CANCELLED ?? 0,
      violations,
      drainSeconds: drain.drained ? Math.max(0, drain.at - faultEnd) / 1000 : undefined,
      retries,
      apiStatuses: tally.summary(),
      apiStatusesDuringFault: tally.summary('fault'),
      api500s: tally.count('500'),
      cancelStatuses: cancelTally.summary(),
      crashes,
      reconciled: chaos.reconciled(),
      breakerShortCircuits: await scrapeCounter(chaos.stack.urls.metrics, BREAKER_METRIC),
      notes,
      logFile: chaos.logFile,
    };
  } finally {
    say('stopping the stack');
    await chaos.stop();
  }
}
