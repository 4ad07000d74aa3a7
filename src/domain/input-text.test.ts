import { describe, expect, it } from 'vitest';
import { identifier, safeText } from './input-text.js';

const customerId = identifier({ max: 64 });

describe('identifier', () => {
  it.each([
    ['a zero-width space', 'cus_\u200b1'],
    ['a zero-width joiner', 'cus\u200d_1'],
    ['a right-to-left override', 'cus_\u202e1'],
    ['a left-to-right isolate', '\u2066cus_1'],
    ['a byte order mark', '\ufeffcus_1'],
    ['a NUL', 'cus_\u00001'],
    ['a lone surrogate', 'cus_\ud800'],
  ])('refuses %s', (_case, value) => {
    expect(customerId.safeParse(value).success).toBe(false);
  });

  it('takes letters of any script, and emoji made of surrogate pairs', () => {
    for (const value of ['cus_42', 'клиент-7', '顧客_9', 'cus_😀']) expect(customerId.safeParse(value).success, value).toBe(true);
  });
});

describe('safeText', () => {
  it('keeps a right-to-left mark, which people writing Arabic or Hebrew use in ordinary text', () => {
    expect(safeText({ max: 100 }).safeParse('\u05e9\u05dc\u05d5\u05dd\u200f 42').success).toBe(true);
  });
});
