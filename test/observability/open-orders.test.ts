import { randomUUID } from 'node:crypto';
import { Counter, Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase } from '../../src/db/client.js';
import { orders } from '../../src/db/schema.js';
import type { OrderStatus } from '../../src/domain/order-status.js';
import { registerOpenOrderGauges } from '../../src/observability/open-orders.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { parseExposition, Metrics } from './support/scrape.js';

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000);
const scrape = async (registry: Registry) => new Metrics(parseExposition(await registry.metrics()));

describe('the open-order gauges, read from the read model at each scrape', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('open_orders');
    const anOrder = (status: OrderStatus, createdAt: Date) => ({ id: randomUUID(), customerId: 'cus_open', status, totalAmount: 8900, currency: 'USD', createdAt });
    await database.db
      .insert(orders)
      .values([
        anOrder('PENDING', minutesAgo(20)),
        anOrder('PENDING', minutesAgo(1)),
        anOrder('RESERVED', minutesAgo(3)),
        anOrder('COMPLETED', minutesAgo(120)),
        anOrder('FAILED', minutesAgo(60)),
      ]);
  });
  afterAll(() => database?.drop());

  it('count the orders in each open status, and age the oldest one; final orders are no part of it', async () => {
    const registry = new Registry();
    registerOpenOrderGauges(registry, database.db);
    const metrics = await scrape(registry);
    expect(metrics.value('orders_open', { status: 'PENDING' })).toBe(2);
    expect(metrics.value('orders_open', { status: 'RESERVED' })).toBe(1);
    expect(metrics.value('orders_open', { status: 'PAID' })).toBe(0);
    expect(metrics.value('orders_open_oldest_age_seconds', { status: 'PENDING' })).toBeGreaterThan(20 * 60 - 5);
    expect(metrics.value('orders_open_oldest_age_seconds', { status: 'PENDING' })).toBeLessThan(20 * 60 + 60);
    expect(metrics.value('orders_open_oldest_age_seconds', { status: 'RESERVED' })).toBeGreaterThan(3 * 60 - 5);
    expect(metrics.value('orders_open_oldest_age_seconds', { status: 'PAID' })).toBe(0);
    expect(new Set(metrics.matching('orders_open').map((s) => s.labels.status))).toEqual(new Set(['PENDING', 'RESERVED', 'PAID']));
  });

  it('leave the gauges without samples when the database does not answer, and the rest of /metrics still comes', async () => {
    const gone = connectDatabase(database.url, { poolSize: 1 });
    await gone.close();
    const registry = new Registry();
    new Counter({ name: 'orders_total', help: 'an unrelated metric', registers: [registry] }).inc();
    registerOpenOrderGauges(registry, gone.db);
    const metrics = await scrape(registry);
    expect(metrics.matching('orders_open')).toEqual([]);
    expect(metrics.matching('orders_open_oldest_age_seconds')).toEqual([]);
    expect(metrics.value('orders_total')).toBe(1);
  });
});
