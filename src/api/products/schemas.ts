import { z } from '@hono/zod-openapi';
import { currencySchema, minorUnitsSchema } from '../../domain/money.js';
import { skuSchema } from '../../domain/order.js';

/** The most stock one product holds, or one adjustment moves: well inside PostgreSQL's integer. */
const MAX_STOCK = 1_000_000_000;

export const productSchema = z
  .object({ sku: z.string(), name: z.string(), unitPrice: minorUnitsSchema, currency: currencySchema, stockAvailable: z.number().int().nonnegative() })
  .openapi('Product');

export const productListSchema = z.object({ data: z.array(productSchema) });

export type Product = z.infer<typeof productSchema>;

// What an admin sends to manage the catalogue.

// Any SKU-sized string: one the catalogue lacks is 404, like any unknown resource.
export const skuParamSchema = z.object({
  sku: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: 'sku', in: 'path' }, example: 'KBD-001' }),
});

export const newProductSchema = z
  .strictObject({
    sku: skuSchema,
    name: z.string().min(1).max(200),
    unitPrice: minorUnitsSchema,
    currency: currencySchema,
    /** Stock to start with; 0 when absent. Later changes go through stock adjustments, which are audited. */
    stockAvailable: z.number().int().nonnegative().max(MAX_STOCK).default(0),
  })
  .openapi('NewProduct');

export const productChangeSchema = z
  .strictObject({ unitPrice: minorUnitsSchema.optional(), name: z.string().min(1).max(200).optional() })
  .refine((change) => change.unitPrice !== undefined || change.name !== undefined, { message: 'send unitPrice or name, or both' })
  .openapi('ProductChange', { description: 'A new price applies to orders placed from now on; placed orders keep theirs.' });

export const stockAdjustmentRequestSchema = z
  .strictObject({
    quantity: z
      .number()
      .int()
      .min(-MAX_STOCK)
      .max(MAX_STOCK)
      .refine((quantity) => quantity !== 0, 'must not be 0')
      .openapi({ description: 'Units added (a restock) or, negative, taken out (a count correction)' }),
    reason: z.string().min(1).max(500),
  })
  .openapi('StockAdjustmentRequest');

export const stockAdjustmentSchema = z
  .object({
    id: z.string().uuid(),
    sku: z.string(),
    quantity: z.number().int(),
    reason: z.string(),
    actor: z.string().openapi({ description: 'Who made it: the admin token’s subject' }),
    stockAfter: z.number().int().nonnegative(),
    createdAt: z.string().datetime({ offset: true }),
  })
  .openapi('StockAdjustment');

export type NewProduct = z.infer<typeof newProductSchema>;
export type ProductChange = z.infer<typeof productChangeSchema>;
export type StockAdjustmentRequest = z.infer<typeof stockAdjustmentRequestSchema>;
export type StockAdjustment = z.infer<typeof stockAdjustmentSchema>;
