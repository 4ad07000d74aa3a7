import { z } from '@hono/zod-openapi';
import { safeText } from '../../domain/input-text.js';
import { eventTypeSchema } from '../events/schemas.js';

// The webhook endpoints module's shapes, written once: the OpenAPI document and the handlers' types come from here.

export const endpointSchema = z
  .object({
    id: z.string().uuid(),
    url: z.string().url(),
    eventTypes: z.array(eventTypeSchema).openapi({ description: 'The types delivered; empty means every type' }),
    description: z.string().nullable(),
    status: z.enum(['ENABLED', 'DISABLED']),
    disabledReason: z
      .string()
      .nullable()
      .openapi({ description: 'Why the endpoint stopped receiving: a delivery failed for the whole retry window, or an admin disabled it' }),
    createdAt: z.string().datetime(),
    updatedAt: z.string().datetime(),
  })
  .openapi('WebhookEndpoint');

export type WebhookEndpoint = z.infer<typeof endpointSchema>;

export const createdEndpointSchema = endpointSchema
  .extend({ secret: z.string().openapi({ description: 'The signing secret (`whsec_…`). Shown this once: store it where the receiver can read it.' }) })
  .openapi('CreatedWebhookEndpoint');

export const endpointListSchema = z.object({ data: z.array(endpointSchema) }).openapi('WebhookEndpointList');

const url = z.string().max(2048).url().openapi({
  description: 'An http(s) URL that resolves to a public address (unless WEBHOOK_ALLOWED_NETWORKS allows it)',
  example: 'https://shipping.example/hooks/orders',
});
const eventTypes = z.array(eventTypeSchema).max(20);

export const createEndpointRequestSchema = z.strictObject({
  url,
  eventTypes: eventTypes.default([]),
  description: safeText({ max: 200 }).optional(),
});

export const changeEndpointRequestSchema = z.strictObject({
  url: url.optional(),
  eventTypes: eventTypes.optional(),
  description: safeText({ max: 200 }).nullable().optional(),
  status: z.enum(['ENABLED', 'DISABLED']).optional().openapi({ description: 'ENABLED again starts delivering what happens from now on' }),
});

export const endpointIdParamSchema = z.object({
  id: z
    .string()
    .uuid()
    .openapi({ param: { name: 'id', in: 'path' } }),
});

const position = z
  .string()
  .regex(/^[0-9]{1,18}$/, 'must be a position from the feed')
  .transform(Number)
  .openapi({ type: 'string' });

export const deliveriesQuerySchema = z.object({
  after: position.optional().openapi({ description: 'Deliveries of events after this feed position' }),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const replayQuerySchema = z.object({ after: position.openapi({ description: 'Send again every subscribed event after this feed position' }) });

const attemptSchema = z.object({
  statusCode: z.number().int().nullable().openapi({ description: 'The receiver’s HTTP status; null when no answer came' }),
  error: z.string().nullable(),
  durationMs: z.number().int(),
  attemptedAt: z.string().datetime(),
});

export const deliverySchema = z
  .object({
    eventId: z.string().uuid(),
    eventType: eventTypeSchema,
    eventPosition: z.string(),
    status: z.enum(['PENDING', 'DELIVERED', 'FAILED']),
    attempts: z.number().int(),
    lastStatusCode: z.number().int().nullable(),
    lastError: z.string().nullable(),
    nextRetryAt: z.string().datetime().nullable().openapi({ description: 'When the next attempt is due, while the delivery is PENDING' }),
    deliveredAt: z.string().datetime().nullable(),
    history: z.array(attemptSchema).openapi({ description: 'Every attempt, oldest first' }),
  })
  .openapi('WebhookDelivery');

export const deliveryListSchema = z
  .object({ data: z.array(deliverySchema), nextCursor: z.string().nullable().openapi({ description: 'Pass as `after` for the next page; null on the last page' }) })
  .openapi('WebhookDeliveryList');

export type WebhookDeliveryList = z.infer<typeof deliveryListSchema>;

export const replayAcceptedSchema = z.object({ endpointId: z.string().uuid(), after: z.string() }).openapi('WebhookReplayAccepted');
