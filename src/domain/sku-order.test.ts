import { describe, expect, it } from 'vitest';
import { compareSkus } from './sku-order.js';

describe('SKUs are ordered by their bytes, not by a locale', () => {
  it('puts upper case before lower case and an accented letter after every ASCII one, as UTF-8 bytes do', () => {
    const skus = ['b', 'é', 'B', 'a', 'Z', 'e', 'a-1', 'a'];
    expect([...skus].sort(compareSkus)).toEqual(['B', 'Z', 'a', 'a', 'a-1', 'b', 'e', 'é']);
    expect([...skus].sort(compareSkus)).toEqual([...skus].sort((p, q) => Buffer.compare(Buffer.from(p), Buffer.from(q))));
  });

  it('orders by code point beyond the BMP too, where UTF-16 units would not', () => {
    // U+1F600 is F0 9F 98 80 in UTF-8, after U+FF5E (EF BD 9E); as UTF-16 its lead surrogate D83D sorts first.
    expect(['😀', '～'].sort(compareSkus)).toEqual(['～', '😀']);
  });
});
