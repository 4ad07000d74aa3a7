import { randomUUID } from 'node:crypto';
import { asc, eq } from 'drizzle-orm';
import type { Database } from '../../src/db/client.js';
import { orderItems, orders, products, reservations } from '../../src/db/schema.js';
import { seedCatalogue, type ProductSeed } from '../../src/db/seed.js';
import { multiply, type Money } from '../../src/domain/money.js';
import type { OrderLine } from '../../src/domain/order.js';

/** A SKU no other test has used, so tests sharing a database never touch each other's stock. */
export const uniqueSku = (prefix = 'SKU'): string => `${prefix}-${randomUUID().slice(0, 8).toUpperCase()}`;

export function aProduct(overrides: Partial<ProductSeed> = {}): ProductSeed {
  return { sku: uniqueSku('KBD'), name: 'Mechanical keyboard', unitPrice: 8900, currency: 'USD', stockAvailable: 10, ...overrides };
}

/** Returns the products as given, so a test can write `const [keyboard, mouse] = await insertProducts(db, …)`. */
export async function insertProducts<T extends ProductSeed[]>(db: Database, ...catalogue: T): Promise<T> {
  await seedCatalogue(db, catalogue);
  return catalogue;
}

export interface PendingOrder {
  orderId: string;
  customerId: string;
  lines: OrderLine[];
  total: Money;
}

/** An order as the API records it before its workflow runs: PENDING, priced from the products given. */
export async function aPendingOrder(
  db: Database,
  { lines, customerId = 'cus_test' }: { lines: { product: ProductSeed; quantity: number }[]; customerId?: string },
): Promise<PendingOrder> {
  const orderId = randomUUID();
  const priced: OrderLine[] = lines.map(({ product, quantity }) => ({ sku: product.sku, quantity, unitPrice: product.unitPrice }));
  const total: Money = {
    amount: priced.reduce((sum, line) => sum + multiply(line.unitPrice, line.quantity), 0),
    currency: lines[0]?.product.currency ?? 'USD',
  };
  await db.transaction(async (tx) => {
    await tx.insert(orders).values({ id: orderId, customerId, status: 'PENDING', totalAmount: total.amount, currency: total.currency });
    if (priced.length > 0) await tx.insert(orderItems).values(priced.map((line) => ({ orderId, ...line })));
  });
  return { orderId, customerId, lines: priced, total };
}

export async function stockOf(db: Database, sku: string): Promise<number> {
  const [row] = await db.select({ stock: products.stockAvailable }).from(products).where(eq(products.sku, sku));
  if (!row) throw new Error(`No product ${sku}`);
  return row.stock;
}

export async function reservationsOf(db: Database, orderId: string): Promise<{ sku: string; quantity: number; status: string }[]> {
  return db
    .select({ sku: reservations.sku, quantity: reservations.quantity, status: reservations.status })
    .from(reservations)
    .where(eq(reservations.orderId, orderId))
    .orderBy(asc(reservations.sku));
}

export async function orderRow(db: Database, orderId: string): Promise<typeof orders.$inferSelect> {
  const [row] = await db.select().from(orders).where(eq(orders.id, orderId));
  if (!row) throw new Error(`No order ${orderId}`);
  return row;
}
