import { sql } from 'drizzle-orm';
import { char, check, index, integer, pgSchema, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * The simulator's own tables. They live in a schema of their own because they stand for another
 * company's database: nothing in the order service may read or join them.
 */
export const paymentGateway = pgSchema('payment_gateway');

const createdAt = () => timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow();

export const CHARGE_STATUSES = ['succeeded', 'refunded'] as const;
export const REFUND_STATUSES = ['succeeded', 'voided'] as const;

export const charges = paymentGateway.table(
  'charges',
  {
    id: text('id').primaryKey(),
    // Unique, so that even a code path that forgot the lock could not make a second charge for one key.
    idempotencyKey: text('idempotency_key').notNull().unique(),
    orderId: text('order_id').notNull(),
    amount: integer('amount').notNull(),
    currency: char('currency', { length: 3 }).notNull(),
    // The token stands in for a card, so only its last four characters are kept, as a card's last4 would be.
    tokenLast4: text('token_last4').notNull(),
    status: text('status', { enum: CHARGE_STATUSES }).notNull(),
    requestFingerprint: text('request_fingerprint').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('charges_order_idx').on(t.orderId), check('charges_amount_positive', sql`${t.amount} > 0`)],
);

export const refunds = paymentGateway.table(
  'refunds',
  {
    id: text('id').primaryKey(),
    idempotencyKey: text('idempotency_key').notNull().unique(),
    // At most one refund (or void) per charge key: a second refund can never reach the database.
    chargeIdempotencyKey: text('charge_idempotency_key').notNull().unique(),
    chargeId: text('charge_id').references(() => charges.id),
    orderId: text('order_id').notNull(),
    amount: integer('amount').notNull(),
    status: text('status', { enum: REFUND_STATUSES }).notNull(),
    requestFingerprint: text('request_fingerprint').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('refunds_order_idx').on(t.orderId)],
);

/** Declined charge attempts, kept so that a replayed declined request is declined the same way. */
export const declinedCharges = paymentGateway.table('declined_charges', {
  idempotencyKey: text('idempotency_key').primaryKey(),
  orderId: text('order_id').notNull(),
  code: text('code').notNull(),
  message: text('message').notNull(),
  requestFingerprint: text('request_fingerprint').notNull(),
  createdAt: createdAt(),
});

export type ChargeRow = typeof charges.$inferSelect;
export type RefundRow = typeof refunds.$inferSelect;
export type DeclinedChargeRow = typeof declinedCharges.$inferSelect;
