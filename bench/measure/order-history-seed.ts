import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type postgres from 'postgres';
import type { ProductSeed } from '../../src/db/seed.js';

/**
 * A shop's past orders written straight into the read model by COPY, not through the saga: what
 * the reads phase needs is the tables' size and shape, not the workflows. Each customer gets the
 * same number of orders, spread over the past year, so a customer's list is the same size at any
 * table size and only the table grows.
 */

/** 200 products, priced 5 to 204 dollars: what the order lines pick from. */
export const SEED_CATALOGUE: readonly ProductSeed[] = Array.from({ length: 200 }, (_, index) => ({
  sku: `SEED-${String(index).padStart(4, '0')}`,
  name: `Catalogue item ${index}`,
  unitPrice: 500 + index * 100,
  currency: 'USD',
  stockAvailable: 1_000_000,
}));

export const seedCustomerId = (index: number) => `cus_seed_${String(index).padStart(5, '0')}`;

/** What the seed wrote: how many rows, and a sample of order IDs to read back. */
export interface SeededOrders {
  orders: number;
  items: number;
  sampleIds: string[];
  ms: number;
  /** Of which the orders' COPY, and the items'. */
  ordersMs: number;
  itemsMs: number;
}

const YEAR_MS = 365 * 24 * 3600 * 1000;
const ROWS_PER_CHUNK = 2_000;
const SAMPLE_EVERY = 97;

/** A small deterministic generator (mulberry32), so two runs seed the same shop. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

interface SeedOrder {
  id: string;
  customerId: string;
  status: string;
  failureReason: string | null;
  createdMs: number;
  updatedMs: number;
  lines: { sku: string; quantity: number; unitPrice: number }[];
}

/**
 * Final statuses only, in a plausible mix: 90 % completed, 7 % failed, 3 % cancelled. A year of
 * history has no order still on its way, and a PENDING one this old would be the worker's
 * reconciler's to start or fail.
 */
function order(index: number, customers: { first: number; count: number }, nowMs: number): SeedOrder {
  const next = random(index * 7919 + 17);
  const roll = next();
  const status = roll < 0.9 ? 'COMPLETED' : roll < 0.97 ? 'FAILED' : 'CANCELLED';
  const reasonRoll = next();
  const failureReason = status !== 'FAILED' ? null : reasonRoll < 0.6 ? 'PAYMENT_DECLINED' : reasonRoll < 0.9 ? 'OUT_OF_STOCK' : 'FRAUD_SUSPECTED';
  const lineCount = 1 + Math.floor(next() * 3);
  const first = Math.floor(next() * SEED_CATALOGUE.length);
  const lines = Array.from({ length: lineCount }, (_, line) => {
    const product = SEED_CATALOGUE[(first + line * 37) % SEED_CATALOGUE.length]!;
    return { sku: product.sku, quantity: 1 + Math.floor(next() * 4), unitPrice: product.unitPrice };
  });
  const createdMs = nowMs - 60_000 - Math.floor(next() * YEAR_MS);
  return {
    id: orderId(index, next),
    customerId: seedCustomerId(customers.first + (index % customers.count)),
    status,
    failureReason,
    createdMs,
    updatedMs: createdMs + 500 + Math.floor(next() * 5_000),
    lines,
  };
}

const hex = (value: number, digits: number) =>
  Math.floor(value * 16 ** digits)
    .toString(16)
    .padStart(digits, '0');

/** A version-4-shaped UUID: random in front (so the primary key fills as randomly as real IDs do), the index behind (so it is unique). */
const orderId = (index: number, next: () => number) =>
  `${hex(next(), 8)}-${hex(next(), 4)}-4${hex(next(), 3)}-8${hex(next(), 3)}-${index.toString(16).padStart(12, '0')}`;

const orderLine = (o: SeedOrder) => {
  const total = o.lines.reduce((sum, line) => sum + line.quantity * line.unitPrice, 0);
  const paymentId = o.status === 'COMPLETED' ? `ch_seed_${o.id.slice(0, 8)}` : '\\N';
  const createdAt = new Date(o.createdMs).toISOString();
  const updatedAt = new Date(o.updatedMs).toISOString();
  return `${o.id}\t${o.customerId}\t${o.status}\t${o.failureReason ?? '\\N'}\t${total}\tUSD\t${paymentId}\ttok_visa\tf\t${createdAt}\t${updatedAt}\n`;
};

const itemLines = (o: SeedOrder) => o.lines.map((line) => `${o.id}\t${line.sku}\t${line.quantity}\t${line.unitPrice}\n`).join('');

/**
 * Orders `first` … `first + count - 1` of the shop (each index is always the same order), for
 * customers `customers.first` … in turn: the orders by one COPY, then their items by a second
 * (their foreign key needs the orders committed), each a stream that the generator fills only as
 * fast as PostgreSQL takes it. The items pass makes the same orders again rather than keep them.
 */
export async function seedOrderHistory(
  sql: postgres.Sql | postgres.TransactionSql,
  range: { first: number; count: number },
  customers: { first: number; count: number },
): Promise<SeededOrders> {
  const began = Date.now();
  const nowMs = Date.now();
  const sampleIds: string[] = [];
  let items = 0;
  function* chunks(of: 'orders' | 'items') {
    for (let at = 0; at < range.count; at += ROWS_PER_CHUNK) {
      const batch: string[] = [];
      for (let index = at; index < Math.min(range.count, at + ROWS_PER_CHUNK); index++) {
        const o = order(range.first + index, customers, nowMs);
        if (of === 'orders') {
          if (index % SAMPLE_EVERY === 0) sampleIds.push(o.id);
          batch.push(orderLine(o));
        } else {
          items += o.lines.length;
          batch.push(itemLines(o));
        }
      }
      yield batch.join('');
    }
  }
  const orderColumns = 'id, customer_id, status, failure_reason, total_amount, currency, payment_id, payment_token, refund_pending, created_at, updated_at';
  await pipeline(Readable.from(chunks('orders')), await sql.unsafe(`COPY orders (${orderColumns}) FROM STDIN`).writable());
  const ordersMs = Date.now() - began;
  await pipeline(Readable.from(chunks('items')), await sql.unsafe('COPY order_items (order_id, sku, quantity, unit_price) FROM STDIN').writable());
  const ms = Date.now() - began;
  return { orders: range.count, items, sampleIds, ms, ordersMs, itemsMs: ms - ordersMs };
}
