// Millisecond precision: JavaScript dates carry no more, and keyset cursors must round-trip exactly.
import { sql } from 'drizzle-orm';
import { bigint, bigserial, boolean, check, index, integer, json, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid, char } from 'drizzle-orm/pg-core';

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

/**
 * The order event log: one row per transition, written in the transaction that made it, so an event
 * exists exactly when its transition happened. (order_id, type) is unique: a retried activity records
 * nothing twice. `position` is the feed's cursor; inserts are serialized by a transaction-scoped
 * advisory lock (src/db/order-event-log.ts), so positions become visible in the order they were taken.
 */
export const orderEvents = pgTable(
  'order_events',
  {
    position: bigserial('position', { mode: 'number' }).primaryKey(),
    id: uuid('id').notNull(),
    type: text('type').notNull(),
    orderId: uuid('order_id').notNull(),
    /** The order's customer, so a customer token's feed is a filter on this table alone. */
    customerId: text('customer_id').notNull(),
    data: jsonb('data').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('order_events_id_idx').on(t.id),
    uniqueIndex('order_events_order_type_idx').on(t.orderId, t.type),
    index('order_events_customer_position_idx').on(t.customerId, t.position),
    index('order_events_type_position_idx').on(t.type, t.position),
  ],
);

/**
 * Where webhooks go. The signing secret must be read to sign, so it is kept sealed (AES-256-GCM
 * under a key derived from PAYLOAD_KEYS; see src/platform/webhook-secrets.ts), never in plain text.
 */
export const webhookEndpoints = pgTable('webhook_endpoints', {
  id: uuid('id').primaryKey(),
  url: text('url').notNull(),
  /** The event types delivered; an empty list means every type. */
  eventTypes: jsonb('event_types').$type<string[]>().notNull(),
  sealedSecret: text('sealed_secret').notNull(),
  description: text('description'),
  status: text('status', { enum: ['ENABLED', 'DISABLED'] }).notNull(),
  disabledReason: text('disabled_reason'),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

/** One event's delivery to one endpoint: its latest state. The attempts are in webhook_delivery_attempts. */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    endpointId: uuid('endpoint_id')
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: 'cascade' }),
    eventId: uuid('event_id').notNull(),
    eventPosition: bigint('event_position', { mode: 'number' }).notNull(),
    eventType: text('event_type').notNull(),
    status: text('status', { enum: ['PENDING', 'DELIVERED', 'FAILED'] }).notNull(),
    attempts: integer('attempts').notNull().default(0),
    lastStatusCode: integer('last_status_code'),
    lastError: text('last_error'),
    nextRetryAt: timestamp('next_retry_at', { withTimezone: true, mode: 'date', precision: 3 }),
    deliveredAt: timestamp('delivered_at', { withTimezone: true, mode: 'date', precision: 3 }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.endpointId, t.eventId] }), index('webhook_deliveries_endpoint_position_idx').on(t.endpointId, t.eventPosition)],
);

/** Every HTTP attempt of a delivery, as it was answered: the history an operator reads. */
export const webhookDeliveryAttempts = pgTable(
  'webhook_delivery_attempts',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    endpointId: uuid('endpoint_id')
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: 'cascade' }),
    eventId: uuid('event_id').notNull(),
    /** Null when no HTTP answer came: refused, timed out, too large, or a blocked address. */
    statusCode: integer('status_code'),
    error: text('error'),
    durationMs: integer('duration_ms').notNull(),
    attemptedAt: createdAt(),
  },
  (t) => [index('webhook_delivery_attempts_delivery_idx').on(t.endpointId, t.eventId, t.id)],
);
