import { createRoute, z } from '@hono/zod-openapi';
import { createOrderRequestSchema } from '../../domain/order.js';
import { problemResponses } from '../http/problem-responses.js';
import { cancelOrderRequestSchema, idempotencyKeyHeaderSchema, listOrdersQuerySchema, orderIdParamSchema, placeOrderHeadersSchema } from './request-schemas.js';
import { cancelResultSchema, orderListSchema, orderSchema, timelineSchema } from './schemas.js';

// Paths are relative to where the app mounts this module: '/' is /orders.
const json = <T>(schema: T, description: string) => ({ content: { 'application/json': { schema } }, description });

/** Every order answer carries it (src/api/orders/order-links.ts). */
const link = z.string().openapi({
  description:
    'RFC 8288 links: the order’s history (`rel="history"`), and for admin tokens its workflow in the Temporal Web UI (`rel="temporal-ui"`, from `TEMPORAL_UI_URL`).',
  example: '</orders/3f0c…/history>; rel="history", <http://127.0.0.1:8233/namespaces/default/workflows/order-3f0c…>; rel="temporal-ui"',
});
const linked = { headers: z.object({ Link: link }) };

export const createOrderRoute = createRoute({
  method: 'post',
  path: '/',
  summary: 'Place an order',
  description: [
    'Prices come from the catalogue. Starts one workflow, `order-<id>`. Send an `Idempotency-Key` to make retries safe; without one, every POST is a new order.',
    'Send `Prefer: wait=N` (RFC 7240, N ≤ 30 seconds) to get the final status in the same round trip: the answer comes when the order is final (200), or after N seconds (202), whichever is first, even when no worker is running.',
    'A 503 whose body has an `orderId` (and a `Location`) means the order was recorded but whether its workflow started is not known yet: poll it, do not place it again. It is started or settled shortly.',
  ].join('\n\n'),
  request: {
    headers: placeOrderHeadersSchema,
    body: { content: { 'application/json': { schema: createOrderRequestSchema } }, required: true },
  },
  responses: {
    200: {
      ...json(orderSchema, 'With `Prefer: wait`: the order reached a final status within the wait'),
      headers: z.object({ Location: z.string(), 'Preference-Applied': z.string(), Link: link }),
    },
    202: { ...json(orderSchema, 'Accepted; the saga runs on. Poll the Location.'), headers: z.object({ Location: z.string(), Link: link }) },
    ...problemResponses(400, 401, 403, 422, 429, 503),
  },
});

export const getOrderRoute = createRoute({
  method: 'get',
  path: '/{id}',
  summary: 'Read an order',
  description: 'Another customer’s order is 404 to a customer token, as an unknown ID is.',
  request: { params: orderIdParamSchema },
  responses: { 200: { ...json(orderSchema, 'The order as the read model has it'), ...linked }, ...problemResponses(400, 401, 404, 503) },
});

export const listOrdersRoute = createRoute({
  method: 'get',
  path: '/',
  summary: 'List orders, newest first',
  description: 'A customer token lists its own customer’s orders (naming another customer is 403); an admin token lists every customer’s, or the one `customerId` names.',
  request: { query: listOrdersQuerySchema },
  responses: { 200: json(orderListSchema, 'One page of orders'), ...problemResponses(400, 401, 403, 503) },
});

export const cancelOrderRoute = createRoute({
  method: 'post',
  path: '/{id}/cancel',
  summary: 'Cancel an order that has not completed',
  description: [
    'Answers 200 once the compensations due (stock release, refund) have run, if that takes no more than a few seconds; otherwise 202 as soon as the workflow has accepted the cancel, with the order as it stands and a `Location` to poll. A completed order cannot be cancelled: 409.',
    'If no worker accepts the cancel in time, 503 with `Retry-After`: retry with the same `Idempotency-Key`, which makes the retry the same cancel.',
  ].join('\n\n'),
  request: {
    params: orderIdParamSchema,
    headers: idempotencyKeyHeaderSchema,
    body: { content: { 'application/json': { schema: cancelOrderRequestSchema } }, required: false },
  },
  responses: {
    200: { ...json(cancelResultSchema, 'The order after cancellation'), ...linked },
    202: {
      ...json(cancelResultSchema, 'The cancel is accepted; compensations run on. Poll the Location.'),
      headers: z.object({ Location: z.string(), Link: link }),
    },
    ...problemResponses(400, 401, 404, 409, 422, 503),
  },
});

export const orderHistoryRoute = createRoute({
  method: 'get',
  path: '/{id}/history',
  summary: 'The order’s trace, read from its Temporal event history',
  description:
    'One entry per activity attempt: step, attempt, scheduled/started/finished times, outcome, failure message; compensations are marked. Temporal keeps the start of an activity’s final attempt and the failure of the attempt before it, so earlier attempts show their outcome without a message.',
  request: { params: orderIdParamSchema },
  responses: { 200: { ...json(timelineSchema, 'The order’s timeline'), ...linked }, ...problemResponses(400, 401, 404, 503) },
});
