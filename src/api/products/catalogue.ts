import { asc } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { products } from '../../db/schema.js';
import type { Product } from './schemas.js';

/** Every product, by SKU, with the stock available at this moment. */
export async function listProducts(db: Database): Promise<Product[]> {
  const rows = await db.select().from(products).orderBy(asc(products.sku));
  return rows.map(({ sku, name, unitPrice, currency, stockAvailable }) => ({ sku, name, unitPrice, currency, stockAvailable }));
}
