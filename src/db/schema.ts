// Millisecond precision: JavaScript dates carry no more, and keyset cursors must round-trip exactly.
import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, json, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid, char } from 'drizzle-orm/pg-core';

const createdAt = () => timestamp('created_at', { withTimezone: true, mode: 'date', precision: 3 }).notNull().defaultNow();
const updatedAt = () => timestamp('updated_at', { withTimezone: true, mode: 'date', precision: 3 }).notNull().defaultNow();

export const products = pgTable(
  'products',
  {
    sku: text('sku').primaryKey(),
    name: text('name').notNull(),
    unitPrice: integer('unit_price').notNull(),
    currency: char('currency', { length: 3 }).notNull(),
    stockAvailable: integer('stock_available').notNull(),
    updatedAt: updatedAt(),
  },
  (t) => [
    // The last line of defence against overselling: no code path can take stock below zero.
    check('products_stock_available_nonnegative', sql`${t.stockAvailable} >= 0`),
    // Nothing is given away: a zero price would make an order that charges nothing for its stock.
    check('products_unit_price_positive', sql`${t.unitPrice} > 0`),
  ],
);

export const orders = pgTable(
  'orders',
  {
    id: uuid('id').primaryKey(),
    customerId: text('customer_id').notNull(),
    status: text('status').notNull(),
    failureReason: text('failure_reason'),
    failureDetail: text('failure_detail'),
    totalAmount: integer('total_amount').notNull(),
    currency: char('currency', { length: 3 }).notNull(),
    paymentId: text('payment_id'),
    /**
     * The provider's token reference (`tok_…`, never card data) the order is to be charged with, so
     * the reconciler can start the workflow of an order whose start was lost.
     */
    paymentToken: text('payment_token'),
    /** The order has its outcome, and a refund owed to it is still being made (the provider may be down). */
    refundPending: boolean('refund_pending').notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('orders_customer_created_idx').on(t.customerId, t.createdAt.desc(), t.id.desc()),
    index('orders_status_created_idx').on(t.status, t.createdAt.desc(), t.id.desc()),
    index('orders_created_idx').on(t.createdAt.desc(), t.id.desc()),
  ],
);

export const orderItems = pgTable(
  'order_items',
  {
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id, { onDelete: 'cascade' }),
    sku: text('sku')
      .notNull()
      .references(() => products.sku),
    quantity: integer('quantity').notNull(),
    unitPrice: integer('unit_price').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.orderId, t.sku] }),
    check('order_items_quantity_positive', sql`${t.quantity} > 0`),
    check('order_items_unit_price_positive', sql`${t.unitPrice} > 0`),
  ],
);

export const reservations = pgTable(
  'reservations',
  {
    orderId: uuid('order_id').notNull(),
    sku: text('sku')
      .notNull()
      .references(() => products.sku),
    quantity: integer('quantity').notNull(),
    status: text('status', { enum: ['HELD', 'RELEASED', 'COMMITTED'] }).notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.orderId, t.sku] }), check('reservations_quantity_positive', sql`${t.quantity} > 0`)],
);

export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    customerId: text('customer_id').notNull(),
    key: text('key').notNull(),
    requestFingerprint: text('request_fingerprint').notNull(),
    orderId: uuid('order_id').notNull(),
    responseStatus: integer('response_status'),
    // json, not jsonb: a replay must return the first response's bytes, and jsonb reorders keys.
    responseBody: json('response_body'),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.customerId, t.key] }), index('idempotency_keys_created_idx').on(t.createdAt)],
);

export const notifications = pgTable(
  'notifications',
  {
    orderId: uuid('order_id').notNull(),
    kind: text('kind').notNull(),
    channel: text('channel').notNull(),
    payload: jsonb('payload').notNull(),
    deliveredAt: timestamp('delivered_at', { withTimezone: true, mode: 'date', precision: 3 }),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.orderId, t.kind] })],
);

/**
 * The audit trail of the catalogue's stock: each restock or correction an admin made, who, when,
 * how much and why. (actor, idempotency_key) is unique, so a retried adjustment is applied once.
 */
export const stockAdjustments = pgTable(
  'stock_adjustments',
  {
    id: uuid('id').primaryKey(),
    sku: text('sku')
      .notNull()
      .references(() => products.sku),
    /** Units added (positive) or taken out (negative). */
    quantity: integer('quantity').notNull(),
    reason: text('reason').notNull(),
    /** The admin token's subject. */
    actor: text('actor').notNull(),
    idempotencyKey: text('idempotency_key').notNull(),
    /** The stock available right after this adjustment. */
    stockAfter: integer('stock_after').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('stock_adjustments_actor_key_idx').on(t.actor, t.idempotencyKey),
    index('stock_adjustments_sku_created_idx').on(t.sku, t.createdAt),
    check('stock_adjustments_quantity_nonzero', sql`${t.quantity} <> 0`),
  ],
);
