import type { RouteHandler } from '@hono/zod-openapi';
import type { AppDeps, AppEnv } from '../http/app-env.js';
import { changeProduct, createProduct, listProducts } from './catalogue.js';
import type { adjustStockRoute, changeProductRoute, createProductRoute, listProductsRoute } from './routes.js';
import { adjustStock } from './stock-adjustments.js';

export function productHandlers(deps: AppDeps) {
  const list: RouteHandler<typeof listProductsRoute, AppEnv> = async (c) => c.json({ data: await listProducts(deps.db) }, 200);

  const create: RouteHandler<typeof createProductRoute, AppEnv> = async (c) => {
    const product = await createProduct(deps.db, c.req.valid('json'));
    c.header('Location', `/products/${product.sku}`);
    return c.json(product, 201);
  };

  const change: RouteHandler<typeof changeProductRoute, AppEnv> = async (c) => c.json(await changeProduct(deps.db, c.req.valid('param').sku, c.req.valid('json')), 200);

  const adjust: RouteHandler<typeof adjustStockRoute, AppEnv> = async (c) => {
    const { adjustment, replayed } = await adjustStock(deps.db, c.req.valid('param').sku, c.req.valid('json'), {
      actor: c.get('principal').subject,
      idempotencyKey: c.req.valid('header')['idempotency-key'],
    });
    c.get('logger').info({ adjustmentId: adjustment.id, sku: adjustment.sku, quantity: adjustment.quantity, replayed }, 'Stock adjusted');
    if (replayed) {
      c.header('Idempotent-Replayed', 'true');
      return c.json(adjustment, 200);
    }
    return c.json(adjustment, 201);
  };

  return { list, create, change, adjust };
}
