import { z } from '@hono/zod-openapi';
import { ORDER_STATUSES } from '../../domain/order-status.js';

// What the orders routes accept besides the POST /orders body, which is the domain's createOrderRequestSchema.

export const orderIdParamSchema = z.object({ id: z.string().uuid().openapi({ param: { name: 'id', in: 'path' } }) });

export const idempotencyKeyHeaderSchema = z.object({
  'idempotency-key': z
    .string()
    .min(1)
    .max(255)
    .optional()
    .openapi({ param: { in: 'header' }, description: 'Makes a retried POST safe: the same key and body return the first result.' }),
});

export const placeOrderHeadersSchema = idempotencyKeyHeaderSchema.extend({
  prefer: z.string().max(200).optional().openapi({ param: { in: 'header' }, description: '`wait=N`: wait up to N seconds (at most 30) for a final status', example: 'wait=10' }),
});

export const listOrdersQuerySchema = z.object({
  customerId: z.string().min(1).max(64).optional(),
  status: z.enum(ORDER_STATUSES).optional(),
  createdFrom: z.string().datetime({ offset: true }).optional().openapi({ description: 'Orders created at or after this instant (RFC 3339)' }),
  createdTo: z.string().datetime({ offset: true }).optional().openapi({ description: 'Orders created before this instant (RFC 3339)' }),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(512).optional(),
});

export type ListOrdersQuery = z.infer<typeof listOrdersQuerySchema>;

export const cancelOrderRequestSchema = z.strictObject({ reason: z.string().max(500).optional() });
