import { z } from '@hono/zod-openapi';
import { moneySchema } from '../../domain/money-schema.js';
import { orderLineSchema } from '../../domain/order.js';
import { FAILURE_REASONS, ORDER_STATUSES } from '../../domain/order-status.js';

// The orders module's response shapes, written once: the OpenAPI document and the services' types both come from here.

export const orderSchema = z
  .object({
    id: z.string().uuid(),
    customerId: z.string(),
    status: z.enum(ORDER_STATUSES),
    failureReason: z.enum(FAILURE_REASONS).nullable(),
    refundPending: z.boolean().openapi({
      description: 'True while a refund owed to a FAILED or CANCELLED order is still being made (the payment provider may be down); the stock is already back.',
    }),
    // From the domain's shape, not its instance: a zod schema built before @hono/zod-openapi loads has no .openapi().
    total: z.object(moneySchema.shape).openapi('Money', {
      description: 'An amount in the currency’s minor unit (cents for USD) and its ISO 4217 code.',
      example: { amount: 11800, currency: 'USD' },
    }),
    items: z.array(orderLineSchema),
    createdAt: z.string().datetime(),
    updatedAt: z.string().datetime(),
  })
  .openapi('Order');

/** An order as the API answers with it: the read model's row, its lines sorted by SKU. */
export type OrderSummary = z.infer<typeof orderSchema>;

export const orderListSchema = z
  .object({ data: z.array(orderSchema), nextCursor: z.string().nullable().openapi({ description: 'Pass as `cursor` for the next page; null on the last page.' }) })
  .openapi('OrderList');

export type OrderList = z.infer<typeof orderListSchema>;

export const cancelResultSchema = z
  .object({ id: z.string().uuid(), status: z.enum(ORDER_STATUSES), failureReason: z.enum(FAILURE_REASONS).nullable() })
  .openapi('CancelResult');

export type CancelResult = z.infer<typeof cancelResultSchema>;

const timelineEntrySchema = z.object({
  step: z.string(),
  kind: z.enum(['order', 'step', 'compensation', 'request']),
  attempt: z.number().int().positive().nullable(),
  scheduledAt: z.string().datetime().nullable(),
  startedAt: z.string().datetime().nullable(),
  finishedAt: z.string().datetime().nullable(),
  outcome: z.enum(['accepted', 'scheduled', 'running', 'completed', 'failed', 'timed out', 'cancelled', 'requested']),
  failure: z.string().nullable().openapi({ description: 'Why the attempt failed: our own message, or for an unexpected error a fixed text (the detail is in the logs)' }),
  failureType: z.string().nullable().openapi({ description: 'The failure’s type, such as PaymentDeclined or Timeout' }),
});

/** One activity attempt, or the order's start, or a request the workflow accepted. */
export type TimelineEntry = z.infer<typeof timelineEntrySchema>;

export const timelineSchema = z.object({ orderId: z.string().uuid(), entries: z.array(timelineEntrySchema) }).openapi('OrderTimeline');
