import { getOrder, listOrders } from '../../src/api/orders/reads.js';
import { seedCatalogue } from '../../src/db/seed.js';
import { runClosedLoop } from '../load/closed-loop.js';
import { withIndexesBuiltAfter } from '../measure/bulk-load.js';
import { SEED_CATALOGUE, seedCustomerId, seedOrderHistory, type SeededOrders } from '../measure/order-history-seed.js';
import { planOf, type StatementPlan } from '../measure/query-plans.js';
import { distribution, type Distribution } from '../measure/stats.js';
import type { PhaseContext } from './phase-context.js';

/** Every customer has this many orders, at either size: only the table grows. */
const ORDERS_PER_CUSTOMER = 100;
/** The small shop the reads are compared with: 10 customers. */
const SMALL_SHOP = 1_000;
const READ_CONCURRENCY = 4;
const DAY_MS = 24 * 3600 * 1000;

export interface ReadFigures {
  read: string;
  small: Distribution;
  large: Distribution;
  /** p99 at the large size over p99 at the small one. */
  p99Ratio: number;
}

export interface ReadPlans {
  read: string;
  size: 'small' | 'large';
  plans: StatementPlan[];
}

export interface MillionReadsResult {
  small: SeededOrders & { customers: number };
  /** `rebuildMs`: the indexes and keys built after the COPY, part of `ms`. */
  large: SeededOrders & { customers: number; analyzeMs: number; rebuildMs: number };
  requestsPerRead: number;
  reads: ReadFigures[];
  plans: ReadPlans[];
}

interface Shop {
  sampleIds: string[];
  customers: number;
}

/** The reads compared, each as the path of one request against a shop of a given size. */
const READS: { read: string; path: (shop: Shop) => string; plan: (shop: Shop) => Parameters<typeof planOf>[1] }[] = [
  {
    read: 'GET /orders/:id',
    path: (shop) => `/orders/${pick(shop.sampleIds)}`,
    plan: (shop) => (db) => getOrder(db, shop.sampleIds[0]!),
  },
  {
    read: 'GET /orders?customerId=…',
    path: (shop) => `/orders?customerId=${someCustomer(shop)}`,
    plan: (shop) => (db) => listOrders(db, { customerId: someCustomer(shop), limit: 20 }),
  },
  {
    read: 'GET /orders?customerId=…&status=FAILED',
    path: (shop) => `/orders?customerId=${someCustomer(shop)}&status=FAILED`,
    plan: (shop) => (db) => listOrders(db, { customerId: someCustomer(shop), status: 'FAILED', limit: 20 }),
  },
  // Half a year, not a month: the small shop has about 35 FAILED orders in it, so both sizes answer a
  // full page and the comparison is of the table's size, not of the page's. (In 30 days the small shop
  // had about 5: its answers were a quarter the size of the large shop's.)
  {
    read: 'GET /orders?status=FAILED&createdFrom=…&createdTo=… (180 days)',
    path: () => {
      const { from, to } = someHalfYear();
      return `/orders?status=FAILED&createdFrom=${from}&createdTo=${to}`;
    },
    plan: () => {
      const { from, to } = someHalfYear();
      return (db) => listOrders(db, { status: 'FAILED', createdFrom: from, createdTo: to, limit: 20 });
    },
  },
];

const pick = <T>(values: T[]) => values[Math.floor(Math.random() * values.length)]!;
const someCustomer = (shop: Shop) => seedCustomerId(Math.floor(Math.random() * shop.customers));
function someHalfYear() {
  const to = Date.now() - Math.floor(Math.random() * 180) * DAY_MS;
  return { from: new Date(to - 180 * DAY_MS).toISOString(), to: new Date(to).toISOString() };
}

/**
 * What a year of growth would have left behind, done before the reads so that they do not share the
 * machine with it: autovacuum would have analysed the tables and set their visibility maps, and the
 * checkpointer written the pages. Right after a COPY of a million rows both would run during the reads
 * (a run that only analysed had one read of 503 ms, whose SQL takes 0.12 ms).
 */
async function settle(sql: PhaseContext['bench']['database']['sql']): Promise<void> {
  await sql`VACUUM (ANALYZE) orders, order_items`;
  await sql`CHECKPOINT`;
}

/**
 * Phase 8: the order reads on a small shop (1,000 orders) and then on a large one (a million,
 * 10,000 customers), both seeded by COPY in this run: each read's p99 at both sizes, and the
 * EXPLAIN of the SQL each sends at both sizes. The orders of the earlier phases are removed first,
 * so the small shop is the seed alone.
 */
export async function runMillionReads(context: PhaseContext): Promise<MillionReadsResult> {
  const { bench, settings, progress } = context;
  const { sql, db } = bench.database;
  await sql`TRUNCATE orders CASCADE`;
  await seedCatalogue(db, SEED_CATALOGUE);
  const smallCustomers = SMALL_SHOP / ORDERS_PER_CUSTOMER;
  const small = await seedOrderHistory(sql, { first: 0, count: SMALL_SHOP }, { first: 0, count: smallCustomers });
  await settle(sql);
  const smallShop: Shop = { sampleIds: small.sampleIds, customers: smallCustomers };
  progress(`million reads: the small shop (${SMALL_SHOP} orders) seeded; ${settings.readRequests} requests per read`);
  const smallReads = await measureReads(context, smallShop);
  const plans = await readPlans(bench.stack.urls.database, smallShop, 'small');

  const largeCount = settings.millionOrders - SMALL_SHOP;
  const largeCustomers = settings.millionOrders / ORDERS_PER_CUSTOMER - smallCustomers;
  progress(`million reads: seeding ${largeCount.toLocaleString('en-US')} more orders by COPY for ${largeCustomers.toLocaleString('en-US')} more customers`);
  const began = Date.now();
  let seeded: SeededOrders | undefined;
  const { rebuildMs } = await withIndexesBuiltAfter(sql, async (tx) => {
    seeded = await seedOrderHistory(tx, { first: SMALL_SHOP, count: largeCount }, { first: smallCustomers, count: largeCustomers });
  });
  const large = { ...seeded!, ms: Date.now() - began, rebuildMs };
  const analyzing = Date.now();
  await settle(sql);
  const analyzeMs = Date.now() - analyzing;
  progress(
    `million reads: seeded in ${(large.ms / 1000).toFixed(0)} s (orders ${(large.ordersMs / 1000).toFixed(0)} s, ${large.items.toLocaleString('en-US')} items ${(large.itemsMs / 1000).toFixed(0)} s, indexes and keys ${(rebuildMs / 1000).toFixed(0)} s), VACUUM (ANALYZE) and CHECKPOINT ${(analyzeMs / 1000).toFixed(1)} s`,
  );
  const largeShop: Shop = { sampleIds: [...small.sampleIds, ...large.sampleIds], customers: smallCustomers + largeCustomers };
  const largeReads = await measureReads(context, largeShop);
  plans.push(...(await readPlans(bench.stack.urls.database, largeShop, 'large')));

  return {
    small: { ...small, customers: smallCustomers },
    large: { ...large, customers: largeCustomers, analyzeMs },
    requestsPerRead: settings.readRequests,
    reads: READS.map(({ read }, index) => ({
      read,
      small: smallReads[index]!,
      large: largeReads[index]!,
      p99Ratio: largeReads[index]!.p99 / smallReads[index]!.p99,
    })),
    plans,
  };
}

/** Each read in turn, `readRequests` times at a few at once (after a warm-up that is not counted): the round trip on the bench's clock. */
async function measureReads({ bench, settings }: PhaseContext, shop: Shop): Promise<Distribution[]> {
  const figures: Distribution[] = [];
  for (const { read, path } of READS) {
    const once = async () => {
      const began = performance.now();
      const response = await fetch(`${bench.stack.urls.api}${path(shop)}`, {
        headers: { authorization: `Bearer ${bench.stack.secrets.adminToken}` },
        signal: AbortSignal.timeout(30_000),
      });
      const body = (await response.json()) as { data?: unknown[]; id?: string };
      if (response.status !== 200) throw new Error(`${read} answered ${response.status}: ${JSON.stringify(body)}`);
      return performance.now() - began;
    };
    const loop = (count: number) => runClosedLoop({ count, concurrency: READ_CONCURRENCY, deadlineMs: settings.phaseTimeoutMs, what: read, task: once });
    await loop(Math.min(100, settings.readRequests));
    figures.push(distribution(await loop(settings.readRequests)));
  }
  return figures;
}

async function readPlans(url: string, shop: Shop, size: 'small' | 'large'): Promise<ReadPlans[]> {
  const plans: ReadPlans[] = [];
  for (const { read, plan } of READS) plans.push({ read, size, plans: await planOf(url, plan(shop)) });
  return plans;
}
