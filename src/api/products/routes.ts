import { createRoute, z } from '@hono/zod-openapi';
import { requireRole } from '../http/auth.js';
import { problemResponses } from '../http/problem-responses.js';
import {
  newProductSchema,
  productChangeSchema,
  productListSchema,
  productSchema,
  skuParamSchema,
  stockAdjustmentRequestSchema,
  stockAdjustmentSchema,
} from './schemas.js';

// Paths are relative to where the app mounts this module: '/' is /products.
const json = <T>(schema: T, description: string) => ({ content: { 'application/json': { schema } }, description });
const body = <T>(schema: T) => ({ content: { 'application/json': { schema } }, required: true });
// The catalogue's writes are the admin's: a customer token is refused before the body is read.
const adminOnly = { middleware: [requireRole('admin')] };

export const listProductsRoute = createRoute({
  method: 'get',
  path: '/',
  summary: 'The catalogue, with stock available now',
  responses: { 200: json(productListSchema, 'Every product'), ...problemResponses(401, 503) },
});

export const createProductRoute = createRoute({
  ...adminOnly,
  method: 'post',
  path: '/',
  summary: 'Add a product (admin)',
  request: { body: body(newProductSchema) },
  responses: { 201: json(productSchema, 'The product, now in the catalogue'), ...problemResponses(400, 401, 403, 409, 503) },
});

export const changeProductRoute = createRoute({
  ...adminOnly,
  method: 'patch',
  path: '/{sku}',
  summary: 'Change a product’s price or name (admin)',
  description: 'A new price applies to orders placed from now on; orders already placed keep the price they were placed at.',
  request: { params: skuParamSchema, body: body(productChangeSchema) },
  responses: { 200: json(productSchema, 'The product as changed'), ...problemResponses(400, 401, 403, 404, 503) },
});

export const adjustStockRoute = createRoute({
  ...adminOnly,
  method: 'post',
  path: '/{sku}/stock-adjustments',
  summary: 'Restock, or correct the count of, a product (admin)',
  description:
    'Adds `quantity` units (negative takes them out) and records who, when, how much and why. `Idempotency-Key` is required: a retry with the same key and body answers the first adjustment (200, `Idempotent-Replayed: true`) and moves no stock; the same key with another body is 422. Stock never goes below zero: 409.',
  request: {
    params: skuParamSchema,
    headers: z.object({
      'idempotency-key': z
        .string()
        .min(1)
        .max(255)
        .openapi({ param: { in: 'header' }, description: 'Required: makes a retried adjustment safe' }),
    }),
    body: body(stockAdjustmentRequestSchema),
  },
  responses: {
    201: json(stockAdjustmentSchema, 'The adjustment, made'),
    200: {
      ...json(stockAdjustmentSchema, 'The adjustment an earlier request with this key made; nothing moved'),
      headers: z.object({ 'Idempotent-Replayed': z.string() }),
    },
    ...problemResponses(400, 401, 403, 404, 409, 422, 503),
  },
});
