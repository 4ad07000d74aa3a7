import { randomUUID } from 'node:crypto';
import { and, eq, gte, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { products, stockAdjustments } from '../../db/schema.js';
import { ProblemError } from '../http/problem.js';
import { productNotFound } from './catalogue.js';
import type { StockAdjustment, StockAdjustmentRequest } from './schemas.js';

type AdjustmentRow = typeof stockAdjustments.$inferSelect;

const toAdjustment = ({ id, sku, quantity, reason, actor, stockAfter, createdAt }: AdjustmentRow): StockAdjustment => ({
  id,
  sku,
  quantity,
  reason,
  actor,
  stockAfter,
  createdAt: createdAt.toISOString(),
});

export interface AdjustmentOutcome {
  adjustment: StockAdjustment;
  /** True when an earlier request with this actor and Idempotency-Key already made it. */
  replayed: boolean;
}

/**
 * Moves a product's stock and records who, when, how much and why, in one transaction. The row is
 * claimed by (actor, Idempotency-Key) first: a retry finds it and changes nothing; the same key with
 * another request is 422. Stock cannot go below zero (409): the update is conditional, and the
 * products table's check is the last line of defence.
 */
export async function adjustStock(
  db: Database,
  sku: string,
  request: StockAdjustmentRequest,
  { actor, idempotencyKey }: { actor: string; idempotencyKey: string },
): Promise<AdjustmentOutcome> {
  return db.transaction(async (tx) => {
    const id = randomUUID();
    const claimed = await tx
      .insert(stockAdjustments)
      .values({ id, sku, quantity: request.quantity, reason: request.reason, actor, idempotencyKey, stockAfter: 0 })
      .onConflictDoNothing({ target: [stockAdjustments.actor, stockAdjustments.idempotencyKey] })
      .returning({ id: stockAdjustments.id })
      .catch((error: unknown) => {
        // The SKU's foreign key: no such product.
        if ((error as { cause?: { code?: string } }).cause?.code === '23503') throw productNotFound(sku);
        throw error;
      });
    if (claimed.length === 0) {
      const [first] = await tx
        .select()
        .from(stockAdjustments)
        .where(and(eq(stockAdjustments.actor, actor), eq(stockAdjustments.idempotencyKey, idempotencyKey)));
      if (!first) throw new Error(`Stock adjustment key ${idempotencyKey} conflicted but cannot be read`);
      if (first.sku !== sku || first.quantity !== request.quantity || first.reason !== request.reason) {
        throw new ProblemError(
          422,
          'idempotency-key-reused',
          'Idempotency-Key reused with a different request',
          `The Idempotency-Key ${idempotencyKey} was first used for another adjustment; use a new key`,
        );
      }
      return { adjustment: toAdjustment(first), replayed: true };
    }
    const [moved] = await tx
      .update(products)
      .set({ stockAvailable: sql`${products.stockAvailable} + ${request.quantity}`, updatedAt: sql`now()` })
      .where(and(eq(products.sku, sku), gte(sql`${products.stockAvailable} + ${request.quantity}`, 0)))
      .returning({ stockAvailable: products.stockAvailable });
    if (!moved) {
      const [product] = await tx.select({ stockAvailable: products.stockAvailable }).from(products).where(eq(products.sku, sku));
      if (!product) throw productNotFound(sku);
      throw new ProblemError(
        409,
        'insufficient-stock',
        'Not enough stock',
        `${sku} has ${product.stockAvailable} available; taking out ${-request.quantity} would go below zero`,
      );
    }
    const [row] = await tx.update(stockAdjustments).set({ stockAfter: moved.stockAvailable }).where(eq(stockAdjustments.id, id)).returning();
    return { adjustment: toAdjustment(row!), replayed: false };
  });
}
