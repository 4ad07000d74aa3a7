import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { asc } from 'drizzle-orm';
import { products } from '../../db/schema.js';
import type { AppDeps, AppEnv } from '../app-types.js';
import { productSchema } from '../schemas.js';

const listProductsRoute = createRoute({
  method: 'get',
  path: '/products',
  summary: 'The catalogue, with stock available now',
  responses: { 200: { content: { 'application/json': { schema: z.object({ data: z.array(productSchema) }) } }, description: 'Every product' } },
});

export function productRoutes(deps: AppDeps) {
  return new OpenAPIHono<AppEnv>({ defaultHook: deps.validationHook }).openapi(listProductsRoute, async (c) => {
    const rows = await deps.db.select().from(products).orderBy(asc(products.sku));
    return c.json({ data: rows.map(({ sku, name, unitPrice, currency, stockAvailable }) => ({ sku, name, unitPrice, currency, stockAvailable })) }, 200);
  });
}
