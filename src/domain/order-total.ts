import { multiply } from './money.js';

/**
 * An order's total in minor units: the sum of unit price × quantity over its lines. Integer
 * arithmetic only, so no line is ever rounded; a total past Number.MAX_SAFE_INTEGER would no
 * longer be exact, so it throws a RangeError instead of returning it.
 */
export function orderTotal(lines: readonly { unitPrice: number; quantity: number }[]): number {
  return lines.reduce((sum, line) => {
    const total = sum + multiply(line.unitPrice, line.quantity);
    if (!Number.isSafeInteger(total)) throw new RangeError(`amount overflow: the total passes ${Number.MAX_SAFE_INTEGER}`);
    return total;
  }, 0);
}
