import type { AppDeps } from '../http/app-env.js';
import { createRouter } from '../http/router.js';
import { productHandlers } from './handlers.js';
import { listProductsRoute } from './routes.js';

/** The catalogue, for `app.route('/products', productsRouter(deps))`. */
export function productsRouter(deps: AppDeps) {
  const handle = productHandlers(deps);
  return createRouter().openapi(listProductsRoute, handle.list);
}
