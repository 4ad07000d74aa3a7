import { ApplicationFailure } from '@temporalio/common';
import { and, eq, gte, sql } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { recordOrderEvent } from '../db/order-event-log.js';
import { products, reservations } from '../db/schema.js';
import type { BusinessErrorType } from '../domain/business-errors.js';
import type { OrderLine } from '../domain/order.js';
import { bySku } from '../domain/sku-order.js';
import { activityLog } from '../observability/activity-log.js';
import { postgresCodeOf } from './data-errors.js';
import type { OrderMetrics } from './order-metrics.js';
import { transitionOrder } from './order-transitions.js';

export interface ReleaseStockInput {
  orderId: string;
  /** The order's lines, so that lines not reserved yet are closed against a late reservation. */
  lines?: Pick<OrderLine, 'sku' | 'quantity'>[];
}

export interface ReserveStockInput {
  orderId: string;
  lines: Pick<OrderLine, 'sku' | 'quantity'>[];
}

const FOREIGN_KEY_VIOLATION = '23503';

function businessFailure(type: BusinessErrorType, message: string, details: Record<string, unknown>): ApplicationFailure {
  return ApplicationFailure.nonRetryable(message, type, details);
}

/**
 * A fixed lock order (by SKU) keeps concurrent orders from deadlocking on product rows. It must be
 * the same on every replica: code-point order (`bySku`), never `localeCompare`, which follows the locale.
 */
export function inLockOrder<L extends { sku: string }>(lines: readonly L[]): L[] {
  return [...lines].sort(bySku);
}

export function createInventoryActivities(db: Database, metrics?: OrderMetrics) {
  /**
   * Holds stock for every line, all or nothing, and marks the order RESERVED in the same transaction.
   * Safe under at-least-once: the (order, sku) reservation row is claimed before stock is taken, so
   * a second execution finds the claim and takes nothing; and a claim its compensation released
   * fails it, as the first execution did (see below).
   */
  async function reserveStock({ orderId, lines }: ReserveStockInput): Promise<void> {
    const sorted = inLockOrder(lines);
    await db.transaction(async (tx) => {
      for (const { sku, quantity } of sorted) {
        const claimed = await tx
          .insert(reservations)
          .values({ orderId, sku, quantity, status: 'HELD' })
          .onConflictDoNothing()
          .returning({ sku: reservations.sku })
          .catch((error: unknown) => {
            if (postgresCodeOf(error) === FOREIGN_KEY_VIOLATION) throw businessFailure('InvalidOrder', `Unknown SKU ${sku}`, { sku });
            throw error;
          });
        if (claimed.length === 0) {
          // This order's claim on the line exists: held or committed by an earlier execution, which took the
          // stock, or RELEASED by its compensation. A release that ran in a workflow task a worker crash then
          // lost is not in the history, so the replay reserves again: it must not count a released line as held.
          const [existing] = await tx
            .select({ status: reservations.status })
            .from(reservations)
            .where(and(eq(reservations.orderId, orderId), eq(reservations.sku, sku)));
          if (existing?.status === 'RELEASED') {
            throw businessFailure('OutOfStock', `Stock for ${sku} was already released for this order: it is not reserved again`, { sku, requested: quantity });
          }
          continue;
        }
        // One conditional statement: the check and the decrement cannot be separated by another writer.
        const taken = await tx
          .update(products)
          .set({ stockAvailable: sql`${products.stockAvailable} - ${quantity}`, updatedAt: sql`now()` })
          .where(and(eq(products.sku, sku), gte(products.stockAvailable, quantity)))
          .returning({ sku: products.sku });
        if (taken.length === 0) {
          throw businessFailure('OutOfStock', `Not enough stock for ${sku} (requested ${quantity})`, { sku, requested: quantity });
        }
      }
      // The event only when this call moved the order: a replayed step over a later status records nothing.
      if (await transitionOrder(tx, orderId, 'RESERVED')) {
        await recordOrderEvent(tx, { type: 'order.reserved', orderId, data: { lines: sorted.map(({ sku, quantity }) => ({ sku, quantity })) } });
      }
    });
    activityLog().info('Stock reserved', { lines: sorted.map(({ sku, quantity }) => ({ sku, quantity })) });
  }

  /** Returns held stock. Only HELD rows flip, in the same statement that restores stock, so it runs at most once per line. */
  async function releaseStock({ orderId, lines = [] }: ReleaseStockInput): Promise<{ releasedLines: number }> {
    const released = await db.transaction(async (tx) => {
      // Close every line first: a reservation attempt still in flight (the saga stops waiting for it
      // when it is cancelled) then finds its claim taken when it lands, and takes no stock. An
      // attempt that got there first holds its rows until it commits; these inserts wait for it.
      for (const { sku, quantity } of lines) {
        await tx.execute(sql`
          insert into ${reservations} (order_id, sku, quantity, status)
          select ${orderId}, ${products.sku}, ${quantity}, 'RELEASED' from ${products} where ${products.sku} = ${sku}
          on conflict do nothing`);
      }
      return tx.execute<{ sku: string }>(sql`
        with released as (
          update ${reservations} set status = 'RELEASED', updated_at = now()
          where ${reservations.orderId} = ${orderId} and ${reservations.status} = 'HELD'
          returning sku, quantity
        )
        update ${products} as p set stock_available = p.stock_available + released.quantity, updated_at = now()
        from released where p.sku = released.sku
        returning p.sku`);
    });
    metrics?.compensationRan('releaseStock', released.length > 0 ? 'released' : 'nothing_held');
    activityLog().info(released.length > 0 ? 'Stock released' : 'No stock held: nothing to release', { releasedLines: released.length });
    return { releasedLines: released.length };
  }

  return { reserveStock, releaseStock };
}
