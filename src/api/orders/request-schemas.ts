import { z } from '@hono/zod-openapi';
import { identifier, safeText } from '../../domain/input-text.js';
import { instant } from '../../domain/instant.js';
import { ORDER_STATUSES } from '../../domain/order-status.js';

// What the orders routes accept besides the POST /orders body, which is the domain's createOrderRequestSchema.
// Every string is an identifier or text from domain/input-text, so no control character, lone surrogate
// or unbounded length gets past validation to PostgreSQL or into a workflow.

export const orderIdParamSchema = z.object({
  id: z
    .string()
    .uuid()
    .openapi({ param: { name: 'id', in: 'path' } }),
});

export const idempotencyKeyHeaderSchema = z.object({
  'idempotency-key': identifier({ max: 255 })
    .optional()
    .openapi({ param: { in: 'header' }, description: 'Makes a retried POST safe: the same key and body return the first result.' }),
});

export const placeOrderHeadersSchema = idempotencyKeyHeaderSchema.extend({
  prefer: safeText({ max: 200 })
    .optional()
    .openapi({ param: { in: 'header' }, description: '`wait=N`: wait up to N seconds (at most 30) for a final status', example: 'wait=10' }),
});

export const listOrdersQuerySchema = z.object({
  customerId: identifier({ max: 64 }).optional(),
  status: z.enum(ORDER_STATUSES).optional(),
  createdFrom: instant().optional().openapi({ description: 'Orders created at or after this instant (RFC 3339, years 1 to 9999)' }),
  createdTo: instant().optional().openapi({ description: 'Orders created before this instant (RFC 3339, years 1 to 9999)' }),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: identifier({ max: 512 }).optional(),
});

export type ListOrdersQuery = z.infer<typeof listOrdersQuerySchema>;

export const cancelOrderRequestSchema = z.strictObject({ reason: safeText({ max: 500, multiline: true }).optional() });
