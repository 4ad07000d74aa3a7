import { z } from '@hono/zod-openapi';
import { ORDER_EVENT_TYPES } from '../../domain/order-events.js';

// The events module's shapes, written once: the OpenAPI document and the handlers' types both come from here.

export const eventTypeSchema = z.enum(ORDER_EVENT_TYPES).openapi('OrderEventType');

export const orderEventSchema = z
  .object({
    specVersion: z.literal('1.0').openapi({ description: 'The version of this envelope and of the `data` shapes (CloudEvents `specversion`)' }),
    id: z.string().uuid().openapi({ description: 'Unique per event: a receiver dedupes on it' }),
    type: eventTypeSchema,
    source: z.literal('orders').openapi({ description: 'CloudEvents `source`' }),
    createdAt: z.string().datetime().openapi({ description: 'When the transition committed its write (CloudEvents `time`)' }),
    orderId: z.string().uuid().openapi({ description: 'The order the event is about (CloudEvents `subject`)' }),
    position: z
      .string()
      .regex(/^[0-9]+$/)
      .openapi({ description: 'The event’s place in the feed: pass it as `after` to read on from here' }),
    data: z.record(z.string(), z.unknown()).openapi({ description: 'The type’s data; docs/events.md lists each shape' }),
  })
  .openapi('OrderEvent', {
    example: {
      specVersion: '1.0',
      id: '6f1d0c2e-0f4b-4d3a-9a53-0e0f4a2b7c11',
      type: 'order.paid',
      source: 'orders',
      createdAt: '2026-12-01T10:00:02.120Z',
      orderId: '0b8a4d5e-6c1f-4e2a-8d3b-5f6a7b8c9d0e',
      position: '1042',
      data: { paymentId: 'ch_3b2f', amount: { amount: 11800, currency: 'USD' } },
    },
  });

export const eventPageSchema = z
  .object({
    data: z.array(orderEventSchema),
    nextCursor: z.string().openapi({ description: 'Pass as `after` for the next page; the same cursor again when the page was empty (nothing new yet)' }),
  })
  .openapi('OrderEventPage');

export type EventPage = z.infer<typeof eventPageSchema>;

const position = z
  .string()
  .regex(/^[0-9]{1,18}$/, 'must be a position from the feed')
  .transform(Number);

export const eventFeedQuerySchema = z.object({
  after: position
    .optional()
    .openapi({ type: 'string', description: 'Read events after this position (a `nextCursor` or an event’s `position`); from the start when absent' }),
  type: z
    .string()
    .max(500)
    .optional()
    .transform((value, ctx) => {
      const types = (value ?? '')
        .split(',')
        .map((t) => t.trim())
        .filter(Boolean);
      const unknown = types.filter((t) => !(ORDER_EVENT_TYPES as readonly string[]).includes(t));
      if (unknown.length > 0) ctx.addIssue({ code: 'custom', message: `unknown event type ${unknown.join(', ')}` });
      return types;
    })
    .openapi({ type: 'string', description: 'Comma-separated event types to keep, such as `order.paid,order.refunded`; every type when absent' }),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
