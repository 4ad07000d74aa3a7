import { count, inArray, sql } from 'drizzle-orm';
import { Gauge, type Registry } from 'prom-client';
import type { Database } from '../db/client.js';
import { orders } from '../db/schema.js';
import { FINAL_STATUSES, ORDER_STATUSES, type OrderStatus } from '../domain/order-status.js';

const OPEN_STATUSES = ORDER_STATUSES.filter((status) => !FINAL_STATUSES.includes(status));

interface OpenOrders {
  status: OrderStatus;
  open: number;
  oldestAgeSeconds: number;
}

/**
 * Orders that are not final yet, read from the read model when Prometheus scrapes: how many per
 * status, and how long the oldest of them has waited since it was accepted (on the database's
 * clock). Counters cannot tell a stuck order from a slow day; an age can. Within the saga's
 * deadlines every order ends in minutes, so an old open order means no worker polls its task
 * queue, or a workflow is blocked. Every API replica reports the same values: alert on max().
 */
export function registerOpenOrderGauges(registry: Registry, db: Database, { timeoutMs = 2_000 } = {}): void {
  let reading: { at: number; rows: Promise<OpenOrders[] | undefined> } | undefined;
  // One query per scrape, shared by both gauges; a failed or slow one leaves them without samples,
  // so /metrics still answers (with the process and HTTP metrics) while the database is away.
  const read = () => {
    if (!reading || Date.now() - reading.at > 500) reading = { at: Date.now(), rows: queryOpenOrders(db, timeoutMs).catch(() => undefined) };
    return reading.rows;
  };
  // prom-client calls collect() on the gauge itself, just before it reads the gauge's values.
  const publish = (pick: (row: OpenOrders) => number) =>
    async function collect(this: Gauge<'status'>) {
      const rows = await read();
      this.reset();
      if (!rows) return;
      for (const status of OPEN_STATUSES) {
        const row = rows.find((r) => r.status === status);
        this.set({ status }, row ? pick(row) : 0);
      }
    };
  new Gauge({
    name: 'orders_open',
    help: 'Orders not final yet, by status, from the read model',
    labelNames: ['status'],
    registers: [registry],
    collect: publish((row) => row.open),
  });
  new Gauge({
    name: 'orders_open_oldest_age_seconds',
    help: 'Seconds since the oldest order still in this status was accepted; 0 when there is none',
    labelNames: ['status'],
    registers: [registry],
    collect: publish((row) => row.oldestAgeSeconds),
  });
}

async function queryOpenOrders(db: Database, timeoutMs: number): Promise<OpenOrders[]> {
  const query = db
    .select({
      status: orders.status,
      open: count(),
      oldestAgeSeconds: sql<string>`extract(epoch from now() - min(${orders.createdAt}))`,
    })
    .from(orders)
    .where(inArray(orders.status, OPEN_STATUSES))
    .groupBy(orders.status);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`open orders query took over ${timeoutMs}ms`)), timeoutMs);
  });
  try {
    const rows = await Promise.race([query, timeout]);
    return rows.map((row) => ({ status: row.status as OrderStatus, open: row.open, oldestAgeSeconds: Number(row.oldestAgeSeconds) }));
  } finally {
    clearTimeout(timer);
  }
}
