/**
 * Money is an integer count of the currency's minor unit (cents for USD) plus its ISO 4217 code.
 * Free of zod, so the workflow bundle (which formats amounts in activity summaries) stays free of
 * it; the schemas that validate money at the edges are in `money-schema.ts`.
 */
export interface Money {
  amount: number;
  currency: string;
}

export function multiply(unitPrice: number, quantity: number): number {
  const result = unitPrice * quantity;
  if (!Number.isSafeInteger(result)) throw new RangeError(`amount overflow: ${unitPrice} x ${quantity}`);
  return result;
}

export function formatMoney({ amount, currency }: Money): string {
  return new Intl.NumberFormat('en-US', { style: 'currency', currency }).format(amount / 100);
}
