import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { createOrderRequestSchema } from '../../domain/order.js';
import { MAX_OUTCOME_WAIT_MS } from '../../workflows/messages.js';
import { ORDER_STATUSES } from '../../domain/order-status.js';
import type { AppEnv, AppDeps } from '../app-types.js';
import { cancelOrder } from '../order-cancel.js';
import { placeOrder } from '../order-intake.js';
import { getOrder, listOrders } from '../order-reads.js';
import { orderTimeline } from '../order-timeline.js';
import { ProblemError, type Problem } from '../problem.js';
import { problemResponses } from '../problem-responses.js';
import { cancelResultSchema, idempotencyKeyHeaderSchema, orderIdParamSchema, orderListSchema, orderSchema, timelineSchema } from '../schemas.js';

const json = <T>(schema: T, description: string) => ({ content: { 'application/json': { schema } }, description });

const createOrderRoute = createRoute({
  method: 'post',
  path: '/orders',
  summary: 'Place an order',
  description: [
    'Prices come from the catalogue. Starts one workflow, `order-<id>`. Send an `Idempotency-Key` to make retries safe; without one, every POST is a new order.',
    'Send `Prefer: wait=N` (RFC 7240, N ≤ 30 seconds) to get the final status in the same round trip: the answer comes when the order is final (200), or after N seconds (202), whichever is first.',
  ].join('\n\n'),
  request: {
    headers: idempotencyKeyHeaderSchema.extend({
      prefer: z.string().max(200).optional().openapi({ param: { in: 'header' }, description: '`wait=N`: wait up to N seconds (at most 30) for a final status', example: 'wait=10' }),
    }),
    body: { content: { 'application/json': { schema: createOrderRequestSchema } }, required: true },
  },
  responses: {
    200: { ...json(orderSchema, 'With `Prefer: wait`: the order reached a final status within the wait'), headers: z.object({ Location: z.string(), 'Preference-Applied': z.string() }) },
    202: { ...json(orderSchema, 'Accepted; the saga runs on. Poll the Location.'), headers: z.object({ Location: z.string() }) },
    ...problemResponses(400, 422, 503),
  },
});

const getOrderRoute = createRoute({
  method: 'get',
  path: '/orders/{id}',
  summary: 'Read an order',
  request: { params: orderIdParamSchema },
  responses: { 200: json(orderSchema, 'The order as the read model has it'), ...problemResponses(400, 404) },
});

const listOrdersRoute = createRoute({
  method: 'get',
  path: '/orders',
  summary: 'List orders, newest first',
  request: {
    query: z.object({
      customerId: z.string().min(1).max(64).optional(),
      status: z.enum(ORDER_STATUSES).optional(),
      createdFrom: z.string().datetime({ offset: true }).optional().openapi({ description: 'Orders created at or after this instant (RFC 3339)' }),
      createdTo: z.string().datetime({ offset: true }).optional().openapi({ description: 'Orders created before this instant (RFC 3339)' }),
      limit: z.coerce.number().int().min(1).max(100).default(20),
      cursor: z.string().max(512).optional(),
    }),
  },
  responses: { 200: json(orderListSchema, 'One page of orders'), ...problemResponses(400) },
});

const cancelOrderRoute = createRoute({
  method: 'post',
  path: '/orders/{id}/cancel',
  summary: 'Cancel an order that has not completed',
  description: 'Answers once the compensations due (refund, stock release) have run. A completed order cannot be cancelled: 409.',
  request: {
    params: orderIdParamSchema,
    headers: idempotencyKeyHeaderSchema,
    body: { content: { 'application/json': { schema: z.strictObject({ reason: z.string().max(500).optional() }) } }, required: false },
  },
  responses: { 200: json(cancelResultSchema, 'The order after cancellation'), ...problemResponses(400, 404, 409, 422) },
});

const orderHistoryRoute = createRoute({
  method: 'get',
  path: '/orders/{id}/history',
  summary: 'The order’s trace, read from its Temporal event history',
  description:
    'One entry per activity attempt: step, attempt, scheduled/started/finished times, outcome, failure message; compensations are marked. Temporal keeps the start of an activity’s final attempt and the failure of the attempt before it, so earlier attempts show their outcome without a message.',
  request: { params: orderIdParamSchema },
  responses: { 200: json(timelineSchema, 'The order’s timeline'), ...problemResponses(400, 404) },
});

/** `Prefer: wait=N` (RFC 7240), capped at 30 seconds; a preference that cannot be read is ignored, as the RFC allows. */
export function preferredWaitSeconds(prefer: string | undefined): number {
  const match = prefer?.match(/(?:^|[,;\s])wait\s*=\s*"?(\d{1,6})"?/i);
  return match ? Math.min(Number(match[1]), MAX_OUTCOME_WAIT_MS / 1000) : 0;
}

export function orderRoutes(deps: AppDeps) {
  return new OpenAPIHono<AppEnv>({ defaultHook: deps.validationHook })
    .openapi(createOrderRoute, async (c) => {
      const headers = c.req.valid('header');
      const waitSeconds = preferredWaitSeconds(headers.prefer);
      const { order, status, replayed } = await placeOrder(deps, c.req.valid('json'), {
        idempotencyKey: headers['idempotency-key'],
        requestId: c.get('requestId'),
        waitMs: waitSeconds * 1000,
      });
      if (replayed) c.header('Idempotent-Replayed', 'true');
      else c.set('placedOrder', { id: order.id, customerId: order.customerId });
      if (waitSeconds > 0 && !replayed) c.header('Preference-Applied', `wait=${waitSeconds}`);
      c.header('Location', `/orders/${order.id}`);
      return status === 200 ? c.json(order, 200) : c.json(order, 202);
    })
    .openapi(getOrderRoute, async (c) => c.json(await getOrder(deps.db, c.req.valid('param').id), 200))
    .openapi(orderHistoryRoute, async (c) => {
      const { id } = c.req.valid('param');
      await getOrder(deps.db, id);
      return c.json({ orderId: id, entries: await orderTimeline(deps.temporal, id) }, 200);
    })
    .openapi(listOrdersRoute, async (c) => c.json(await listOrders(deps.db, c.req.valid('query')), 200))
    .openapi(cancelOrderRoute, async (c) => {
      const body = c.req.header('content-type') ? c.req.valid('json') : {};
      const { response, replayed } = await cancelOrder(deps, c.req.valid('param').id, {
        reason: body.reason,
        idempotencyKey: c.req.valid('header')['idempotency-key'],
        instance: c.req.path,
      });
      if (replayed) c.header('Idempotent-Replayed', 'true');
      if (response.status !== 200) throw ProblemError.from(response.body as Problem);
      return c.json(response.body as z.infer<typeof cancelResultSchema>, 200);
    });
}
