import { createRoute } from '@hono/zod-openapi';
import { problemResponses } from '../http/problem-responses.js';
import { productListSchema } from './schemas.js';

// Paths are relative to where the app mounts this module: '/' is /products.
export const listProductsRoute = createRoute({
  method: 'get',
  path: '/',
  summary: 'The catalogue, with stock available now',
  responses: { 200: { content: { 'application/json': { schema: productListSchema } }, description: 'Every product' }, ...problemResponses(401) },
});
