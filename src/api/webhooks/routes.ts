import { createRoute } from '@hono/zod-openapi';
import { requireRole } from '../http/auth.js';
import { problemResponses } from '../http/problem-responses.js';
import {
  changeEndpointRequestSchema,
  createdEndpointSchema,
  createEndpointRequestSchema,
  deliveriesQuerySchema,
  deliveryListSchema,
  endpointIdParamSchema,
  endpointListSchema,
  endpointSchema,
  replayAcceptedSchema,
  replayQuerySchema,
} from './schemas.js';

// Paths are relative to where the app mounts this module: '/' is /webhook-endpoints. Every route is the admin's.
const json = <T>(schema: T, description: string) => ({ content: { 'application/json': { schema } }, description });
const body = <T>(schema: T) => ({ content: { 'application/json': { schema } }, required: true });
const adminOnly = { middleware: [requireRole('admin')] };

export const createEndpointRoute = createRoute({
  ...adminOnly,
  method: 'post',
  path: '/',
  summary: 'Register a webhook endpoint (admin)',
  description:
    'Events from now on, of the types named, are POSTed to the URL, signed with the secret returned here once (`Webhook-Signature: t=…,v1=…`). A URL that resolves to a loopback, link-local or private address is refused unless WEBHOOK_ALLOWED_NETWORKS allows it.',
  request: { body: body(createEndpointRequestSchema) },
  responses: { 201: { ...json(createdEndpointSchema, 'Registered; the secret is not shown again') }, ...problemResponses(400, 401, 403, 503) },
});

export const listEndpointsRoute = createRoute({
  ...adminOnly,
  method: 'get',
  path: '/',
  summary: 'List webhook endpoints (admin)',
  responses: { 200: json(endpointListSchema, 'Every endpoint, newest first'), ...problemResponses(401, 403, 503) },
});

export const getEndpointRoute = createRoute({
  ...adminOnly,
  method: 'get',
  path: '/{id}',
  summary: 'Read a webhook endpoint (admin)',
  request: { params: endpointIdParamSchema },
  responses: { 200: json(endpointSchema, 'The endpoint'), ...problemResponses(400, 401, 403, 404, 503) },
});

export const changeEndpointRoute = createRoute({
  ...adminOnly,
  method: 'patch',
  path: '/{id}',
  summary: 'Change, disable or re-enable a webhook endpoint (admin)',
  request: { params: endpointIdParamSchema, body: body(changeEndpointRequestSchema) },
  responses: { 200: json(endpointSchema, 'The endpoint as changed'), ...problemResponses(400, 401, 403, 404, 503) },
});

export const deleteEndpointRoute = createRoute({
  ...adminOnly,
  method: 'delete',
  path: '/{id}',
  summary: 'Remove a webhook endpoint and its delivery history (admin)',
  request: { params: endpointIdParamSchema },
  responses: { 204: { description: 'Removed' }, ...problemResponses(400, 401, 403, 404, 503) },
});

export const listDeliveriesRoute = createRoute({
  ...adminOnly,
  method: 'get',
  path: '/{id}/deliveries',
  summary: 'The delivery history of an endpoint: per event, its attempts, status codes and next retry (admin)',
  request: { params: endpointIdParamSchema, query: deliveriesQuerySchema },
  responses: { 200: json(deliveryListSchema, 'Deliveries in feed order'), ...problemResponses(400, 401, 403, 404, 503) },
});

export const replayRoute = createRoute({
  ...adminOnly,
  method: 'post',
  path: '/{id}/replay',
  summary: 'Send again every subscribed event after a feed position (admin)',
  description:
    'For a consumer that lost data. The dispatcher starts over from `after` once the batch it is delivering is done; receivers dedupe on the event `id`. A disabled endpoint must be enabled first: 409.',
  request: { params: endpointIdParamSchema, query: replayQuerySchema },
  responses: { 202: json(replayAcceptedSchema, 'The replay is queued'), ...problemResponses(400, 401, 403, 404, 409, 503) },
});
