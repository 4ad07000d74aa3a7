import { randomUUID } from 'node:crypto';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.js';
import { connectDatabase } from './client.js';
import { migrateDatabase } from './migrate.js';
import { DEMO_CATALOGUE, SEED_BATCH_SIZE, seedCatalogue, type ProductSeed } from './seed.js';
import { products } from './schema.js';

describe('migrations and seed', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('migrate');
  });
  afterAll(() => database.drop());

  it('applies again without error and seeds the catalogue once, keeping stock that changed', async () => {
    await migrateDatabase(database);
    await seedCatalogue(database.db);
    await database.sql`update products set stock_available = 1 where sku = ${DEMO_CATALOGUE[0]!.sku}`;
    await seedCatalogue(database.db);
    const rows = await database.db.select().from(products);
    expect(rows).toHaveLength(DEMO_CATALOGUE.length);
    expect(rows.find((p) => p.sku === DEMO_CATALOGUE[0]!.sku)?.stockAvailable).toBe(1);
  });

  it('seeds a catalogue larger than one statement holds in batches, reporting each', async () => {
    const large: ProductSeed[] = Array.from({ length: 2 * SEED_BATCH_SIZE + 500 }, (_, i) => ({
      sku: `BULK-${i}`,
      name: `Bulk item ${i}`,
      unitPrice: 100,
      currency: 'USD',
      stockAvailable: 1,
    }));
    const reported: number[] = [];
    await seedCatalogue(database.db, large, ({ seeded, total }) => {
      expect(total).toBe(large.length);
      reported.push(seeded);
    });
    expect(reported).toEqual([SEED_BATCH_SIZE, 2 * SEED_BATCH_SIZE, large.length]);
    const counted = await database.sql<{ count: string }[]>`select count(*)::text as count from products where sku like 'BULK-%'`;
    expect(Number(counted[0]!.count)).toBe(large.length);
  });

  it('refuses stock below zero at the database', async () => {
    await expect(database.sql`update products set stock_available = -1 where sku = ${DEMO_CATALOGUE[0]!.sku}`).rejects.toThrow(/products_stock_available_nonnegative/);
  });
});

describe('migrating with a pool of one connection (DATABASE_POOL_SIZE=1)', () => {
  const adminUrl = () => inject('postgresAdminUrl');
  const name = `migrate_pool1_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  beforeAll(async () => {
    const admin = postgres(adminUrl(), { max: 1, onnotice: () => {} });
    await admin`create database ${admin(name)}`;
    await admin.end();
  });
  afterAll(async () => {
    const admin = postgres(adminUrl(), { max: 1, onnotice: () => {} });
    await admin`drop database if exists ${admin(name)} with (force)`;
    await admin.end();
  });

  /** Fails instead of hanging: a migration that waits for a second connection never ends. */
  const within = <T>(ms: number, work: Promise<T>) =>
    Promise.race([work, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`migration still running after ${ms} ms`)), ms).unref())]);

  it('two processes, each with one connection, migrate a fresh database at once, without a deadlock', async () => {
    const url = adminUrl().replace(/\/postgres$/, `/${name}`);
    const first = connectDatabase(url, { poolSize: 1 });
    const second = connectDatabase(url, { poolSize: 1 });
    try {
      await within(20_000, Promise.all([migrateDatabase(first), migrateDatabase(second)]));
      const applied = await first.sql<{ count: string }[]>`select count(*)::text as count from drizzle.__drizzle_migrations`;
      expect(Number(applied[0]!.count)).toBeGreaterThan(0);
      expect(await first.db.select().from(products)).toEqual([]);
      await within(20_000, migrateDatabase(first));
    } finally {
      await Promise.all([first.close(), second.close()]);
    }
  });
});
