import { z } from 'zod';
import { moneySchema } from './money-schema.js';
import { FAILURE_REASONS } from './order-status.js';

/**
 * The order events other systems learn from: one per transition, named `order.<what happened>`.
 * Their `data` shapes are part of the public contract (docs/events.md); a change that is not
 * additive is a new `specVersion`.
 */
export const ORDER_EVENT_TYPES = ['order.created', 'order.reserved', 'order.paid', 'order.completed', 'order.failed', 'order.cancelled', 'order.refunded'] as const;
export type OrderEventType = (typeof ORDER_EVENT_TYPES)[number];

/** The version of the event envelope and its data shapes; CloudEvents' `specversion` is 1.0 too. */
export const EVENT_SPEC_VERSION = '1.0';

/** Where events come from, as CloudEvents' `source` names it. */
export const EVENT_SOURCE = 'orders';

const lineSchema = z.object({ sku: z.string(), quantity: z.number().int().positive() });

export const orderEventDataSchemas = {
  'order.created': z.object({
    customerId: z.string(),
    total: moneySchema,
    items: z.array(lineSchema.extend({ unitPrice: z.number().int().positive() })),
  }),
  'order.reserved': z.object({ lines: z.array(lineSchema) }),
  'order.paid': z.object({ paymentId: z.string(), amount: moneySchema }),
  'order.completed': z.object({ total: moneySchema }),
  'order.failed': z.object({ reason: z.enum(FAILURE_REASONS).nullable(), detail: z.string().nullable() }),
  'order.cancelled': z.object({ detail: z.string().nullable() }),
  'order.refunded': z.object({ refundId: z.string(), amount: moneySchema }),
} satisfies Record<OrderEventType, z.ZodType>;

export type OrderEventData<T extends OrderEventType> = z.infer<(typeof orderEventDataSchemas)[T]>;

/** A transition's event before it is stored: the store gives it its id, position and time. */
export type NewOrderEvent = { [T in OrderEventType]: { type: T; orderId: string; data: OrderEventData<T> } }[OrderEventType];

/**
 * An event as the feed and the webhooks carry it. The names follow CloudEvents 1.0 in camelCase:
 * `specVersion` (specversion), `id`, `type`, `source`, `createdAt` (time), `orderId` (subject).
 * `position` is the feed cursor: pass it as `after` to read on from this event.
 */
export interface OrderEvent {
  specVersion: typeof EVENT_SPEC_VERSION;
  id: string;
  type: OrderEventType;
  source: typeof EVENT_SOURCE;
  createdAt: string;
  orderId: string;
  position: string;
  data: Record<string, unknown>;
}
