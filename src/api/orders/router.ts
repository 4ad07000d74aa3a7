import type { AppDeps } from '../http/app-env.js';
import { createRouter } from '../http/router.js';
import { orderHandlers } from './handlers.js';
import { cancelOrderRoute, createOrderRoute, getOrderRoute, listOrdersRoute, orderHistoryRoute } from './routes.js';

/** The orders resource, for `app.route('/orders', ordersRouter(deps))`. */
export function ordersRouter(deps: AppDeps) {
  const handle = orderHandlers(deps);
  return createRouter()
    .openapi(createOrderRoute, handle.place)
    .openapi(getOrderRoute, handle.read)
    .openapi(orderHistoryRoute, handle.history)
    .openapi(listOrdersRoute, handle.list)
    .openapi(cancelOrderRoute, handle.cancel);
}
