import { z } from '@hono/zod-openapi';
import { currencySchema, minorUnitsSchema } from '../../domain/money.js';

export const productSchema = z
  .object({ sku: z.string(), name: z.string(), unitPrice: minorUnitsSchema, currency: currencySchema, stockAvailable: z.number().int().nonnegative() })
  .openapi('Product');

export const productListSchema = z.object({ data: z.array(productSchema) });

export type Product = z.infer<typeof productSchema>;
