import { z } from 'zod';
import { identifier } from './input-text.js';
import { minorUnitsSchema } from './money-schema.js';

/** One named function builds the workflow ID, so the order ID stays the idempotency anchor everywhere. */
export function orderWorkflowId(orderId: string): string {
  return `order-${orderId}`;
}

/** The gateway idempotency keys derive from the order ID, so every retry of a step reuses its key. */
export const chargeIdempotencyKey = (orderId: string): string => `order-${orderId}-charge`;
export const refundIdempotencyKey = (orderId: string): string => `order-${orderId}-refund`;

export const MAX_ORDER_LINES = 50;
export const MAX_LINE_QUANTITY = 1000;

export const skuSchema = identifier({ max: 64 }).regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'must be letters, digits, dot, dash or underscore');

export const orderItemSchema = z.strictObject({
  sku: skuSchema,
  quantity: z.number().int().positive().max(MAX_LINE_QUANTITY),
});

/**
 * The body of POST /orders. Prices are never taken from the client. `customerId` may be left out
 * by a customer token (the order is its customer's); an admin token must name the customer.
 */
export const createOrderRequestSchema = z
  .strictObject({
    customerId: identifier({ max: 64 }).optional(),
    items: z.array(orderItemSchema).min(1).max(MAX_ORDER_LINES),
    paymentToken: identifier({ max: 128 }).optional(),
  })
  .superRefine((order, ctx) => {
    const seen = new Map<string, number>();
    order.items.forEach((item, index) => {
      const first = seen.get(item.sku);
      if (first !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['items', index, 'sku'], message: `duplicates items[${first}].sku; combine the quantities` });
      }
      seen.set(item.sku, index);
    });
  });

export type CreateOrderBody = z.infer<typeof createOrderRequestSchema>;
/** An order request once it is known whose order it is. */
export type CreateOrderRequest = CreateOrderBody & { customerId: string };

/** An order line priced from the catalogue at order time. */
export const orderLineSchema = z.object({ sku: z.string(), quantity: z.number().int().positive(), unitPrice: minorUnitsSchema });
export type OrderLine = z.infer<typeof orderLineSchema>;

export const NOTIFICATION_KINDS = ['ORDER_CONFIRMED', 'ORDER_FAILED', 'ORDER_CANCELLED'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** The test token that every demo order pays with unless the client names another. */
export const DEFAULT_PAYMENT_TOKEN = 'tok_visa';
