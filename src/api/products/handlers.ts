import type { RouteHandler } from '@hono/zod-openapi';
import type { AppDeps, AppEnv } from '../http/app-env.js';
import { listProducts } from './catalogue.js';
import type { listProductsRoute } from './routes.js';

export function productHandlers(deps: AppDeps) {
  const list: RouteHandler<typeof listProductsRoute, AppEnv> = async (c) => c.json({ data: await listProducts(deps.db) }, 200);
  return { list };
}
