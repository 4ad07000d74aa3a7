import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_LINE_QUANTITY, MAX_ORDER_LINES } from './order.js';
import { orderTotal } from './order-total.js';

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
/** The most one unit may cost: the catalogue refuses more than the gateway's largest charge. */
const MAX_UNIT_PRICE = 99_999_999;

const line = (maxPrice: number, maxQuantity: number) =>
  fc.record({ unitPrice: fc.integer({ min: 1, max: maxPrice }), quantity: fc.integer({ min: 1, max: maxQuantity }) });
/** Lines an intake can price: up to 50, each up to 1,000 units at up to the largest price. */
const orderLines = fc.array(line(MAX_UNIT_PRICE, MAX_LINE_QUANTITY), { maxLength: MAX_ORDER_LINES });
const exactTotal = (lines: { unitPrice: number; quantity: number }[]) => lines.reduce((sum, l) => sum + BigInt(l.unitPrice) * BigInt(l.quantity), 0n);

describe('an order total is the exact sum of its lines', () => {
  it('equals the sum of unit price × quantity computed in big integers, for every order intake can take', () => {
    fc.assert(
      fc.property(orderLines, (lines) => {
        expect(BigInt(orderTotal(lines))).toBe(exactTotal(lines));
      }),
    );
  });

  it('does not depend on the order of the lines', () => {
    fc.assert(
      fc.property(
        orderLines.chain((lines) => fc.tuple(fc.constant(lines), fc.shuffledSubarray(lines, { minLength: lines.length, maxLength: lines.length }))),
        ([lines, shuffled]) => {
          expect(orderTotal(shuffled)).toBe(orderTotal(lines));
        },
      ),
    );
  });

  it('is the same when a line is split in two: pricing is linear in the quantity', () => {
    fc.assert(
      fc.property(orderLines, line(MAX_UNIT_PRICE, MAX_LINE_QUANTITY), fc.nat(), (rest, whole, cut) => {
        const first = 1 + (cut % whole.quantity);
        const split =
          first === whole.quantity
            ? [whole]
            : [
                { ...whole, quantity: first },
                { ...whole, quantity: whole.quantity - first },
              ];
        expect(orderTotal([...rest, ...split])).toBe(orderTotal([...rest, whole]));
      }),
    );
  });

  it('refuses, rather than rounds, a total past the largest safe integer', () => {
    const huge = fc.array(line(Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER), { minLength: 1, maxLength: 5 });
    fc.assert(
      fc.property(huge, (lines) => {
        const exact = exactTotal(lines);
        if (exact <= MAX_SAFE && lines.every((l) => BigInt(l.unitPrice) * BigInt(l.quantity) <= MAX_SAFE)) expect(BigInt(orderTotal(lines))).toBe(exact);
        else expect(() => orderTotal(lines)).toThrow(RangeError);
      }),
    );
  });

  it('is 0 for no lines', () => {
    expect(orderTotal([])).toBe(0);
  });
});
