import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { preferredWaitSeconds } from '../../src/api/orders/prefer-wait.js';
import type { OrderSummary } from '../../src/api/orders/index.js';
import { TEST_TOKENS } from '../../src/payments/contract.js';
import { anOrderRequest, call } from '../support/api-client.js';
import { startOrderStack, type OrderStack } from '../support/order-stack.js';

const CATALOGUE = [{ sku: 'KBD-001', name: 'Mechanical keyboard', unitPrice: 8900, currency: 'USD', stockAvailable: 100 }];
const NO_FAULTS = { failureRate: 0, latencyMs: 0, seed: 5, paths: [] };

describe('Prefer: wait=N on POST /orders', () => {
  let stack: OrderStack;
  beforeAll(async () => {
    stack = await startOrderStack({ catalogue: CATALOGUE });
  });
  afterEach(() => stack.gateway.setFaults(NO_FAULTS));
  afterAll(() => stack.stop());

  it('answers 200 with the COMPLETED order in one round trip', async () => {
    const response = await call<OrderSummary>(stack.apiUrl, 'POST', '/orders', anOrderRequest({ customerId: 'cus_wait' }), { prefer: 'wait=10' });
    expect(response.status).toBe(200);
    expect(response.body.status).toBe('COMPLETED');
    expect(response.headers.get('preference-applied')).toBe('wait=10');
    expect(response.headers.get('location')).toBe(`/orders/${response.body.id}`);
  });

  it('answers 200 with a FAILED order and its reason', async () => {
    const response = await call<OrderSummary>(stack.apiUrl, 'POST', '/orders', anOrderRequest({ customerId: 'cus_wait_declined', paymentToken: TEST_TOKENS.declined }), {
      prefer: 'respond-async, wait=10',
    });
    expect(response).toMatchObject({ status: 200, body: { status: 'FAILED', failureReason: 'PAYMENT_DECLINED' } });
  });

  it('answers 202 with the order as it stands when the wait runs out first', async () => {
    await stack.gateway.setFaults({ ...NO_FAULTS, failureRate: 1, paths: ['/charges'] });
    const response = await call<OrderSummary>(stack.apiUrl, 'POST', '/orders', anOrderRequest({ customerId: 'cus_wait_slow' }), { prefer: 'wait=1' });
    expect(response.status).toBe(202);
    expect(response.headers.get('preference-applied')).toBe('wait=1');
    expect(['PENDING', 'RESERVED']).toContain(response.body.status);
  });

  it('replays the first answer, 200 included, for the same Idempotency-Key', async () => {
    const headers = { prefer: 'wait=10', 'idempotency-key': 'wait-key' };
    const first = await call<OrderSummary>(stack.apiUrl, 'POST', '/orders', anOrderRequest({ customerId: 'cus_wait_key' }), headers);
    const again = await call<OrderSummary>(stack.apiUrl, 'POST', '/orders', anOrderRequest({ customerId: 'cus_wait_key' }), headers);
    expect(first.status).toBe(200);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
  });

  it('reads the preference as RFC 7240 writes it, capped at 30 seconds', () => {
    expect(preferredWaitSeconds(undefined)).toBe(0);
    expect(preferredWaitSeconds('wait=5')).toBe(5);
    expect(preferredWaitSeconds('respond-async, wait=12')).toBe(12);
    expect(preferredWaitSeconds('wait=600')).toBe(30);
    expect(preferredWaitSeconds('handling=lenient')).toBe(0);
    expect(preferredWaitSeconds('wait=soon')).toBe(0);
  });
});
