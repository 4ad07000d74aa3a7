import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatMoney, moneySchema, multiply } from './money.js';

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const safeInteger = fc.maxSafeInteger();

describe('money arithmetic is exact integer arithmetic, or it refuses', () => {
  it('multiply gives the exact product of two safe integers, and throws exactly when that product is not safe', () => {
    fc.assert(
      fc.property(safeInteger, safeInteger, (unitPrice, quantity) => {
        const exact = BigInt(unitPrice) * BigInt(quantity);
        const fits = exact <= MAX_SAFE && exact >= -MAX_SAFE;
        if (fits) expect(BigInt(multiply(unitPrice, quantity))).toBe(exact);
        else expect(() => multiply(unitPrice, quantity)).toThrow(RangeError);
      }),
    );
  });

  it('multiply is exact across the whole range a price and a quantity can take, and commutes', () => {
    // Small factors too: the interesting products are near 2^53, but most real ones are not.
    const factor = fc.oneof(fc.integer({ min: 0, max: 100_000_000 }), fc.integer({ min: 0, max: 2 ** 27 }));
    fc.assert(
      fc.property(factor, factor, (a, b) => {
        const outcome = (x: number, y: number) => {
          try {
            return multiply(x, y);
          } catch (error) {
            return (error as Error).name;
          }
        };
        expect(outcome(a, b)).toBe(outcome(b, a));
        if (BigInt(a) * BigInt(b) <= MAX_SAFE) expect(BigInt(multiply(a, b))).toBe(BigInt(a) * BigInt(b));
      }),
    );
  });

  it('multiply never returns a fraction or a non-finite amount: such an input throws', () => {
    const anyNumber = fc.oneof(fc.double(), fc.constantFrom(Number.NaN, Infinity, -Infinity, 0.1, 2 ** 53, -(2 ** 53)));
    fc.assert(
      fc.property(anyNumber, anyNumber, (a, b) => {
        let result: number | undefined;
        try {
          result = multiply(a, b);
        } catch (error) {
          expect(error).toBeInstanceOf(RangeError);
          return;
        }
        expect(Number.isSafeInteger(result)).toBe(true);
      }),
    );
  });
});

describe('the money schema takes exactly a safe non-negative integer and an ISO 4217-shaped code', () => {
  const currency = fc.stringMatching(/^[A-Z]{3}$/);

  it('accepts every non-negative safe integer amount', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), currency, (amount, code) => {
        expect(moneySchema.safeParse({ amount, currency: code }).success).toBe(true);
      }),
    );
  });

  it('refuses a negative, fractional, non-finite or unsafe amount, and any other currency text', () => {
    const badAmount = fc.oneof(
      fc.integer({ max: -1 }),
      fc.double({ noInteger: true }),
      fc.constantFrom(Number.NaN, Infinity, -Infinity, 2 ** 53, Number.MAX_VALUE),
      fc.string(),
      fc.constant(null),
    );
    const badCurrency = fc.string().filter((text) => !/^[A-Z]{3}$/.test(text));
    const refused = (amount: unknown, code: string) => {
      expect(moneySchema.safeParse({ amount, currency: code }).success, JSON.stringify({ amount, code })).toBe(false);
    };
    fc.assert(fc.property(badAmount, currency, refused));
    fc.assert(fc.property(fc.nat(), badCurrency, refused));
  });
});

describe('formatMoney shows every minor unit', () => {
  it('a USD amount prints as its digits, with two decimals, for any amount up to 2^49', () => {
    // amount / 100 is a float: past about 2^49 minor units its two decimals can no longer be exact.
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 49 }), (amount) => {
        const text = formatMoney({ amount, currency: 'USD' });
        expect(text).toMatch(/^\$\d{1,3}(,\d{3})*\.\d{2}$/);
        expect(BigInt(text.replace(/[$,.]/g, ''))).toBe(BigInt(amount));
      }),
    );
  });
});
