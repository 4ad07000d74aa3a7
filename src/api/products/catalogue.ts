import { asc, eq, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { products } from '../../db/schema.js';
import { ProblemError } from '../http/problem.js';
import type { NewProduct, Product, ProductChange } from './schemas.js';

type ProductRow = typeof products.$inferSelect;
const toProduct = ({ sku, name, unitPrice, currency, stockAvailable }: ProductRow): Product => ({ sku, name, unitPrice, currency, stockAvailable });

export const productNotFound = (sku: string) => new ProblemError(404, 'product-not-found', 'Product not found', `No product has the SKU ${sku}`);

/** Every product, by SKU, with the stock available at this moment. */
export async function listProducts(db: Database): Promise<Product[]> {
  const rows = await db.select().from(products).orderBy(asc(products.sku));
  return rows.map(toProduct);
}

/** Adds a product; a SKU already in the catalogue is 409, and the existing product is left alone. */
export async function createProduct(db: Database, product: NewProduct): Promise<Product> {
  const [row] = await db.insert(products).values(product).onConflictDoNothing({ target: products.sku }).returning();
  if (!row) throw new ProblemError(409, 'product-exists', 'Product already exists', `A product with the SKU ${product.sku} is already in the catalogue`);
  return toProduct(row);
}

/** Changes the name or the price. Placed orders keep the price they were placed at (order_items.unit_price). */
export async function changeProduct(db: Database, sku: string, change: ProductChange): Promise<Product> {
  const [row] = await db
    .update(products)
    .set({ ...change, updatedAt: sql`now()` })
    .where(eq(products.sku, sku))
    .returning();
  if (!row) throw productNotFound(sku);
  return toProduct(row);
}
