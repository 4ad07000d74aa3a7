import { products } from './schema.js';
import type { Database } from './client.js';

export interface ProductSeed {
  sku: string;
  name: string;
  unitPrice: number;
  currency: string;
  stockAvailable: number;
}

export const DEMO_CATALOGUE: readonly ProductSeed[] = [
  { sku: 'KBD-001', name: 'Mechanical keyboard', unitPrice: 8900, currency: 'USD', stockAvailable: 1000 },
  { sku: 'MSE-001', name: 'Wireless mouse', unitPrice: 2900, currency: 'USD', stockAvailable: 1000 },
  { sku: 'MON-027', name: '27" monitor', unitPrice: 24900, currency: 'USD', stockAvailable: 200 },
  { sku: 'CBL-USB', name: 'USB-C cable', unitPrice: 900, currency: 'USD', stockAvailable: 5000 },
  { sku: 'LTD-001', name: 'Limited edition desk mat', unitPrice: 4500, currency: 'USD', stockAvailable: 5 },
];

/** Rows per INSERT: five parameters each keeps a statement well under PostgreSQL's 65,535 bind parameters. */
export const SEED_BATCH_SIZE = 1_000;

/**
 * Inserts the products that are missing. Existing rows, and the stock they have, are left alone.
 * A large catalogue goes in batches, and `onBatch` hears after each one, so a start can show progress.
 */
export async function seedCatalogue(
  db: Database,
  catalogue: readonly ProductSeed[] = DEMO_CATALOGUE,
  onBatch: (progress: { seeded: number; total: number }) => void = () => {},
): Promise<void> {
  for (let start = 0; start < catalogue.length; start += SEED_BATCH_SIZE) {
    const batch = catalogue.slice(start, start + SEED_BATCH_SIZE);
    await db.insert(products).values(batch).onConflictDoNothing({ target: products.sku });
    onBatch({ seeded: start + batch.length, total: catalogue.length });
  }
}
