import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTypedClientTour, type TourOutcome } from '../../examples/typed-client.js';
import { call } from '../support/api-client.js';
import { startOrderStack, type OrderStack } from '../support/order-stack.js';

const CATALOGUE = [{ sku: 'KBD-001', name: 'Mechanical keyboard', unitPrice: 8900, currency: 'USD', stockAvailable: 10 }];

describe('examples/typed-client.ts against the real stack', () => {
  let stack: OrderStack;
  let outcome: TourOutcome;
  const lines: string[] = [];

  beforeAll(async () => {
    stack = await startOrderStack({ catalogue: CATALOGUE });
    // Charges take a second (the harness's gateway client waits two), so the example's cancel, sent right after its order, lands before the point of no return.
    await stack.gateway.setFaults({ latencyMs: 1_000, paths: ['/charges'] });
    outcome = await runTypedClientTour({
      baseUrl: stack.apiUrl,
      headers: { authorization: `Bearer ${stack.customerToken('cus_typed_client')}` },
      customerId: 'cus_typed_client',
      finalWithinMs: 30_000,
      log: (line) => lines.push(line),
    });
  });
  afterAll(() => stack?.stop());

  it('places an order with an Idempotency-Key, gets the same order on the retry, and follows it to COMPLETED', async () => {
    expect(outcome.placed).toMatchObject({ customerId: 'cus_typed_client', status: 'COMPLETED', failureReason: null, total: { amount: 8900, currency: 'USD' } });
    expect(outcome.retry).toEqual({ sameOrder: true, replayed: true });
    const { body: orders } = await call<{ data: { id: string }[] }>(stack.apiUrl, 'GET', '/orders?customerId=cus_typed_client');
    // Two orders, not three: the retried POST was no new order.
    expect(orders.data).toHaveLength(2);
  });

  it('cancels the second order, and the API then shows it CANCELLED', async () => {
    if (!('result' in outcome.cancel)) throw new Error(`the cancel came too late: ${outcome.cancel.tooLate.detail}`);
    expect(outcome.cancel.result).toMatchObject({ status: 'CANCELLED' });
    const { body: order } = await call<{ status: string }>(stack.apiUrl, 'GET', `/orders/${outcome.cancel.result.id}`);
    expect(order.status).toBe('CANCELLED');
  });

  it('reads the refusal of an unknown SKU as a typed problem, and prints its title, detail and field errors', () => {
    expect(outcome.rejected.status).toBe(400);
    expect(outcome.rejected.problem).toMatchObject({ status: 400, title: expect.any(String), detail: expect.any(String) });
    expect(outcome.rejected.problem.errors).toEqual([{ pointer: '/items/0/sku', detail: 'unknown SKU NO-SUCH-SKU' }]);
    const printed = lines.join('\n');
    expect(printed).toContain(outcome.rejected.problem.title);
    expect(printed).toContain('/items/0/sku: unknown SKU NO-SUCH-SKU');
  });
});
