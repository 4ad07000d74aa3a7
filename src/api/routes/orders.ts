import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { createOrderRequestSchema } from '../../domain/order.js';
import { ORDER_STATUSES } from '../../domain/order-status.js';
import type { AppEnv, AppDeps } from '../app-types.js';
import { cancelOrder } from '../order-cancel.js';
import { placeOrder } from '../order-intake.js';
import { getOrder, listOrders } from '../order-reads.js';
import { problemResponses } from '../problem-responses.js';
import { cancelResultSchema, idempotencyKeyHeaderSchema, orderIdParamSchema, orderListSchema, orderSchema } from '../schemas.js';

const json = <T>(schema: T, description: string) => ({ content: { 'application/json': { schema } }, description });

const createOrderRoute = createRoute({
  method: 'post',
  path: '/orders',
  summary: 'Place an order',
  description:
    'Prices come from the catalogue. Starts one workflow, `order-<id>`. Send an `Idempotency-Key` to make retries safe; without one, every POST is a new order.',
  request: {
    headers: idempotencyKeyHeaderSchema,
    body: { content: { 'application/json': { schema: createOrderRequestSchema } }, required: true },
  },
  responses: {
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
    body: { content: { 'application/json': { schema: z.strictObject({ reason: z.string().max(500).optional() }) } }, required: false },
  },
  responses: { 200: json(cancelResultSchema, 'The order after cancellation'), ...problemResponses(400, 404, 409) },
});

export function orderRoutes(deps: AppDeps) {
  return new OpenAPIHono<AppEnv>({ defaultHook: deps.validationHook })
    .openapi(createOrderRoute, async (c) => {
      const { order, replayed } = await placeOrder(deps, c.req.valid('json'), {
        idempotencyKey: c.req.valid('header')['idempotency-key'],
        requestId: c.get('requestId'),
      });
      if (replayed) c.header('Idempotent-Replayed', 'true');
      c.header('Location', `/orders/${order.id}`);
      return c.json(order, 202);
    })
    .openapi(getOrderRoute, async (c) => c.json(await getOrder(deps.db, c.req.valid('param').id), 200))
    .openapi(listOrdersRoute, async (c) => c.json(await listOrders(deps.db, c.req.valid('query')), 200))
    .openapi(cancelOrderRoute, async (c) => {
      const body = c.req.header('content-type') ? c.req.valid('json') : {};
      const state = await cancelOrder(deps, c.req.valid('param').id, body.reason);
      return c.json({ id: state.orderId, status: state.status, failureReason: state.failureReason }, 200);
    });
}
