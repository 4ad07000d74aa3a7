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

// Building an Intl.NumberFormat costs far more than using one (about 0.1 ms, three times per order
// at intake): one per currency, made on first use. Pure, so the workflow sandbox may share it too.
const formatters = new Map<string, Intl.NumberFormat>();

export function formatMoney({ amount, currency }: Money): string {
  let formatter = formatters.get(currency);
  if (!formatter) {
    formatter = new Intl.NumberFormat('en-US', { style: 'currency', currency });
    formatters.set(currency, formatter);
  }
  return formatter.format(amount / 100);
}
