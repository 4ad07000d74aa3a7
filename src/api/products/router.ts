import type { AppDeps } from '../http/app-env.js';
import { createRouter } from '../http/router.js';
import { productHandlers } from './handlers.js';
import { adjustStockRoute, changeProductRoute, createProductRoute, listProductsRoute } from './routes.js';

/** The catalogue, for `app.route('/products', productsRouter(deps))`: anyone with a token reads it, the admin changes it. */
export function productsRouter(deps: AppDeps) {
  const handle = productHandlers(deps);
  return createRouter()
    .openapi(listProductsRoute, handle.list)
    .openapi(createProductRoute, handle.create)
    .openapi(changeProductRoute, handle.change)
    .openapi(adjustStockRoute, handle.adjust);
}
