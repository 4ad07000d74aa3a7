import type { RouteHandler } from '@hono/zod-openapi';
import { latestEventPosition } from '../../db/order-event-log.js';
import { WebhookSecrets } from '../../platform/webhook-secrets.js';
import type { AppDeps, AppEnv, WebhookDeps } from '../http/app-env.js';
import { ProblemError } from '../http/problem.js';
import { invalidRequest } from '../http/validation-problem.js';
import { replayFrom, startDispatcher, stopDispatcher, wakeDispatcher } from './dispatchers.js';
import { changeEndpoint, deleteEndpoint, findEndpoint, insertEndpoint, listDeliveries, listEndpoints } from './endpoints.js';
import type { changeEndpointRoute, createEndpointRoute, deleteEndpointRoute, getEndpointRoute, listDeliveriesRoute, listEndpointsRoute, replayRoute } from './routes.js';

const notConfigured = () =>
  new ProblemError(503, 'webhooks-unconfigured', 'Webhooks are not configured', 'This API was started without webhook secrets and an address policy.');

/** The webhook endpoints module's handlers: the admin's, each one service call and its answer. */
export function webhookHandlers(deps: AppDeps) {
  const webhooks = (): WebhookDeps =>
    deps.webhooks ??
    (() => {
      throw notConfigured();
    })();
  const dispatchers = () => ({ temporal: deps.temporal, taskQueue: deps.taskQueue, timings: webhooks().timings });

  /** An address the policy refuses is the caller's mistake: a 400 on the URL field. */
  const checkUrl = async (url: string) => {
    const refused = await webhooks().policy.checkUrl(url);
    if (refused) throw invalidRequest([{ pointer: '/url', detail: refused }], 'body');
  };

  const create: RouteHandler<typeof createEndpointRoute, AppEnv> = async (c) => {
    const request = c.req.valid('json');
    await checkUrl(request.url);
    const secret = WebhookSecrets.generate();
    // From the feed's end as it is now: a new endpoint gets what happens next, not the past (a replay sends that).
    const after = await latestEventPosition(deps.db);
    const endpoint = await insertEndpoint(deps.db, { ...request, sealedSecret: webhooks().secrets.seal(secret) });
    await startDispatcher(dispatchers(), endpoint.id, after);
    c.header('Location', `/webhook-endpoints/${endpoint.id}`);
    c.get('logger').info({ endpointId: endpoint.id, url: endpoint.url, eventTypes: endpoint.eventTypes }, 'Webhook endpoint registered');
    return c.json({ ...endpoint, secret }, 201);
  };

  const list: RouteHandler<typeof listEndpointsRoute, AppEnv> = async (c) => c.json({ data: await listEndpoints(deps.db) }, 200);

  const read: RouteHandler<typeof getEndpointRoute, AppEnv> = async (c) => c.json(await findEndpoint(deps.db, c.req.valid('param').id), 200);

  const change: RouteHandler<typeof changeEndpointRoute, AppEnv> = async (c) => {
    const { id } = c.req.valid('param');
    const request = c.req.valid('json');
    if (request.url) await checkUrl(request.url);
    const { before, after } = await changeEndpoint(deps.db, id, request);
    // Re-enabled: a dispatcher of its own again, from now on. Otherwise the running one reads the change now.
    if (before.status === 'DISABLED' && after.status === 'ENABLED') await startDispatcher(dispatchers(), id, await latestEventPosition(deps.db));
    else await wakeDispatcher(dispatchers(), id);
    return c.json(after, 200);
  };

  const remove: RouteHandler<typeof deleteEndpointRoute, AppEnv> = async (c) => {
    const { id } = c.req.valid('param');
    await deleteEndpoint(deps.db, id);
    await stopDispatcher(dispatchers(), id);
    return c.body(null, 204);
  };

  const deliveries: RouteHandler<typeof listDeliveriesRoute, AppEnv> = async (c) => {
    const { id } = c.req.valid('param');
    await findEndpoint(deps.db, id);
    return c.json(await listDeliveries(deps.db, id, c.req.valid('query')), 200);
  };

  const replay: RouteHandler<typeof replayRoute, AppEnv> = async (c) => {
    const { id } = c.req.valid('param');
    const { after } = c.req.valid('query');
    const endpoint = await findEndpoint(deps.db, id);
    if (endpoint.status !== 'ENABLED')
      throw new ProblemError(409, 'endpoint-disabled', 'Endpoint disabled', `Webhook endpoint ${id} is disabled; enable it (PATCH status ENABLED) before replaying.`);
    await replayFrom(dispatchers(), id, after);
    return c.json({ endpointId: id, after: String(after) }, 202);
  };

  return { create, list, read, change, remove, deliveries, replay };
}
