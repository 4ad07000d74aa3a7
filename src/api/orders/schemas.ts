import { z } from '@hono/zod-openapi';
import { currencySchema, minorUnitsSchema } from '../../domain/money.js';
import { FAILURE_REASONS, ORDER_STATUSES } from '../../domain/order-status.js';

export const moneyResponseSchema = z.object({ amount: minorUnitsSchema, currency: currencySchema }).openapi('Money', {
  description: 'An amount in the currency’s minor unit (cents for USD) and its ISO 4217 code.',
  example: { amount: 11800, currency: 'USD' },
});

export const orderSchema = z
  .object({
    id: z.string().uuid(),
    customerId: z.string(),
    status: z.enum(ORDER_STATUSES),
    failureReason: z.enum(FAILURE_REASONS).nullable(),
    total: moneyResponseSchema,
    items: z.array(z.object({ sku: z.string(), quantity: z.number().int().positive(), unitPrice: minorUnitsSchema })),
    createdAt: z.string().datetime(),
    updatedAt: z.string().datetime(),
  })
  .openapi('Order');

export const orderListSchema = z
  .object({ data: z.array(orderSchema), nextCursor: z.string().nullable().openapi({ description: 'Pass as `cursor` for the next page; null on the last page.' }) })
  .openapi('OrderList');

export const productSchema = z
  .object({ sku: z.string(), name: z.string(), unitPrice: minorUnitsSchema, currency: currencySchema, stockAvailable: z.number().int().nonnegative() })
  .openapi('Product');

export const cancelResultSchema = z
  .object({ id: z.string().uuid(), status: z.enum(ORDER_STATUSES), failureReason: z.enum(FAILURE_REASONS).nullable() })
  .openapi('CancelResult');

export const orderIdParamSchema = z.object({ id: z.string().uuid().openapi({ param: { name: 'id', in: 'path' } }) });

export const idempotencyKeyHeaderSchema = z.object({
  'idempotency-key': z
    .string()
    .min(1)
    .max(255)
    .optional()
    .openapi({ param: { in: 'header' }, description: 'Makes a retried POST safe: the same key and body return the first result.' }),
});

export const timelineSchema = z
  .object({
    orderId: z.string().uuid(),
    entries: z.array(
      z.object({
        step: z.string(),
        kind: z.enum(['order', 'step', 'compensation', 'request']),
        attempt: z.number().int().positive().nullable(),
        scheduledAt: z.string().datetime().nullable(),
        startedAt: z.string().datetime().nullable(),
        finishedAt: z.string().datetime().nullable(),
        outcome: z.enum(['accepted', 'scheduled', 'running', 'completed', 'failed', 'timed out', 'cancelled', 'requested']),
        failure: z.string().nullable(),
      }),
    ),
  })
  .openapi('OrderTimeline');
