import { z } from '@hono/zod-openapi';
import { identifier, safeText } from '../../domain/input-text.js';
import { currencySchema } from '../../domain/money-schema.js';
import { MAX_CHARGE_AMOUNT } from '../../payments/contract.js';
import { skuSchema } from '../../domain/order.js';

/** The most stock one product holds, or one adjustment moves: well inside PostgreSQL's integer. */
const MAX_STOCK = 1_000_000_000;

/** A price is positive (the catalogue's CHECK says so too) and no larger than one payment can take. */
const unitPriceSchema = z.number().int().positive().max(MAX_CHARGE_AMOUNT);

export const productSchema = z
  .object({ sku: z.string(), name: z.string(), unitPrice: unitPriceSchema, currency: currencySchema, stockAvailable: z.number().int().nonnegative() })
  .openapi('Product');

export const productListSchema = z.object({ data: z.array(productSchema) });

export type Product = z.infer<typeof productSchema>;

// What an admin sends to manage the catalogue.

// Any SKU-sized string: one the catalogue lacks is 404, like any unknown resource.
export const skuParamSchema = z.object({
  sku: identifier({ max: 64 }).openapi({ param: { name: 'sku', in: 'path' }, example: 'KBD-001' }),
});

export const newProductSchema = z
  .strictObject({
    sku: skuSchema,
    name: safeText({ max: 200 }),
    unitPrice: unitPriceSchema,
    currency: currencySchema,
    /** Stock to start with; 0 when absent. Later changes go through stock adjustments, which are audited. */
    stockAvailable: z.number().int().nonnegative().max(MAX_STOCK).default(0),
  })
  .openapi('NewProduct');

export const productChangeSchema = z
  .strictObject({ unitPrice: unitPriceSchema.optional(), name: safeText({ max: 200 }).optional() })
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
    reason: safeText({ max: 500, multiline: true }),
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
