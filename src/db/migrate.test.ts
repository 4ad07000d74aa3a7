import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.js';
import { migrateDatabase } from './migrate.js';
import { DEMO_CATALOGUE, seedCatalogue } from './seed.js';
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

  it('refuses stock below zero at the database', async () => {
    await expect(database.sql`update products set stock_available = -1 where sku = ${DEMO_CATALOGUE[0]!.sku}`).rejects.toThrow(/products_stock_available_nonnegative/);
  });
});
