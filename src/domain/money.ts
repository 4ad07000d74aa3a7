import { z } from 'zod';

export const currencySchema = z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as USD');
export const minorUnitsSchema = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

/** Money is an integer count of the currency's minor unit (cents for USD) plus its ISO 4217 code. */
export const moneySchema = z.object({ amount: minorUnitsSchema, currency: currencySchema });
export type Money = z.infer<typeof moneySchema>;

export function multiply(unitPrice: number, quantity: number): number {
  const result = unitPrice * quantity;
  if (!Number.isSafeInteger(result)) throw new RangeError(`amount overflow: ${unitPrice} x ${quantity}`);
  return result;
}

export function formatMoney({ amount, currency }: Money): string {
  return new Intl.NumberFormat('en-US', { style: 'currency', currency }).format(amount / 100);
}
