import { describe, expect, it } from 'vitest';
import { DEFAULT_PAYMENT_TOKEN } from '../../domain/order.js';
import { bySku } from '../../domain/sku-order.js';
import { fingerprint } from './idempotency.js';
import { requestFingerprint } from './intake.js';

describe('the fingerprint of POST /orders', () => {
  it('the Idempotency-Key fingerprint lists items in that order, whatever order the request had', () => {
    const items = [
      { sku: 'kbd-001', quantity: 1 },
      { sku: 'KBD-001', quantity: 2 },
    ];
    const expected = fingerprint({
      route: 'POST /orders',
      customerId: 'cus_1',
      items: [
        ['KBD-001', 2],
        ['kbd-001', 1],
      ],
      paymentToken: DEFAULT_PAYMENT_TOKEN,
    });
    expect(requestFingerprint({ customerId: 'cus_1', items })).toBe(expected);
    expect(requestFingerprint({ customerId: 'cus_1', items: [...items].reverse() })).toBe(expected);
    expect([...items].sort(bySku).map((i) => i.sku)).toEqual(['KBD-001', 'kbd-001']);
  });
});
