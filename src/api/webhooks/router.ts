import type { AppDeps } from '../http/app-env.js';
import { createRouter } from '../http/router.js';
import { webhookHandlers } from './handlers.js';
import { changeEndpointRoute, createEndpointRoute, deleteEndpointRoute, getEndpointRoute, listDeliveriesRoute, listEndpointsRoute, replayRoute } from './routes.js';

/** Webhook endpoints, for `app.route('/webhook-endpoints', webhookEndpointsRouter(deps))`: every route the admin's. */
export function webhookEndpointsRouter(deps: AppDeps) {
  const handle = webhookHandlers(deps);
  return createRouter()
    .openapi(createEndpointRoute, handle.create)
    .openapi(listEndpointsRoute, handle.list)
    .openapi(getEndpointRoute, handle.read)
    .openapi(changeEndpointRoute, handle.change)
    .openapi(deleteEndpointRoute, handle.remove)
    .openapi(listDeliveriesRoute, handle.deliveries)
    .openapi(replayRoute, handle.replay);
}
