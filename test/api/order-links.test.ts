import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import type { OrderSummary } from '../../src/api/orders/index.js';
import { anOrderRequest, call, waitForOrderStatus, type ApiResponse } from '../support/api-client.js';
import { startOrderStack, type OrderStack } from '../support/order-stack.js';

const CATALOGUE = [{ sku: 'KBD-001', name: 'Mechanical keyboard', unitPrice: 8900, currency: 'USD', stockAvailable: 100 }];
const NO_FAULTS = { failureRate: 0, latencyMs: 0, seed: 5, paths: [] };
const CUSTOMER = 'cus_links';

/** The Link header's targets by relation, as a client that follows links reads them. */
function linksOf(response: ApiResponse): Record<string, string> {
  const header = response.headers.get('link') ?? '';
  return Object.fromEntries([...header.matchAll(/<([^>]*)>;\s*rel="([^"]+)"/g)].map(([, target, rel]) => [rel!, target!]));
}

describe('Link headers on order answers: the history for everyone, the Web UI for admins', () => {
  let stack: OrderStack;
  let customerToken: string;
  let completed: OrderSummary;
  const webUi = (orderId: string) => `${inject('temporalUiUrl')}/namespaces/default/workflows/order-${orderId}`;

  beforeAll(async () => {
    stack = await startOrderStack({ catalogue: CATALOGUE });
    customerToken = stack.customerToken(CUSTOMER);
    const placed = await call<OrderSummary>(stack.apiUrl, 'POST', '/orders', anOrderRequest({ customerId: CUSTOMER }), {}, { token: customerToken });
    completed = await waitForOrderStatus(stack.apiUrl, placed.body.id, ['COMPLETED']);
  });
  afterEach(() => stack.gateway.setFaults(NO_FAULTS));
  afterAll(() => stack.stop());

  it('a customer token gets the history link on POST, GET and history, and never a Web UI link', async () => {
    const placed = await call<OrderSummary>(
      stack.apiUrl,
      'POST',
      '/orders',
      anOrderRequest({ customerId: CUSTOMER }),
      { 'idempotency-key': 'links-1' },
      { token: customerToken },
    );
    const replayed = await call<OrderSummary>(
      stack.apiUrl,
      'POST',
      '/orders',
      anOrderRequest({ customerId: CUSTOMER }),
      { 'idempotency-key': 'links-1' },
      { token: customerToken },
    );
    const read = await call(stack.apiUrl, 'GET', `/orders/${completed.id}`, undefined, {}, { token: customerToken });
    const history = await call(stack.apiUrl, 'GET', `/orders/${completed.id}/history`, undefined, {}, { token: customerToken });

    expect(linksOf(placed)).toEqual({ history: `/orders/${placed.body.id}/history` });
    expect(replayed.headers.get('idempotent-replayed')).toBe('true');
    expect(linksOf(replayed)).toEqual({ history: `/orders/${placed.body.id}/history` });
    expect(linksOf(read)).toEqual({ history: `/orders/${completed.id}/history` });
    expect(linksOf(history)).toEqual({ history: `/orders/${completed.id}/history` });
    // The history link is one the same token can follow.
    expect((await call(stack.apiUrl, 'GET', linksOf(read).history!, undefined, {}, { token: customerToken })).status).toBe(200);
  });

  it('an admin token also gets the workflow in the Web UI, on POST, GET and history', async () => {
    const placed = await call<OrderSummary>(stack.apiUrl, 'POST', '/orders', anOrderRequest({ customerId: CUSTOMER }));
    const read = await call(stack.apiUrl, 'GET', `/orders/${completed.id}`);
    const history = await call(stack.apiUrl, 'GET', `/orders/${completed.id}/history`);

    expect(linksOf(placed)).toEqual({ history: `/orders/${placed.body.id}/history`, 'temporal-ui': webUi(placed.body.id) });
    expect(linksOf(read)).toEqual({ history: `/orders/${completed.id}/history`, 'temporal-ui': webUi(completed.id) });
    expect(linksOf(history)).toEqual({ history: `/orders/${completed.id}/history`, 'temporal-ui': webUi(completed.id) });
  });

  it('a cancel answer links the same way for each role; an error answer has no links', async () => {
    // Charges fail until the cancel, so each order waits at RESERVED, cancellable.
    await stack.gateway.setFaults({ ...NO_FAULTS, failureRate: 1, paths: ['/charges'] });
    const byCustomer = await call<OrderSummary>(stack.apiUrl, 'POST', '/orders', anOrderRequest({ customerId: CUSTOMER }), {}, { token: customerToken });
    const byAdmin = await call<OrderSummary>(stack.apiUrl, 'POST', '/orders', anOrderRequest({ customerId: CUSTOMER }));
    await waitForOrderStatus(stack.apiUrl, byCustomer.body.id, ['RESERVED']);
    await waitForOrderStatus(stack.apiUrl, byAdmin.body.id, ['RESERVED']);

    const customerCancel = await call(stack.apiUrl, 'POST', `/orders/${byCustomer.body.id}/cancel`, {}, {}, { token: customerToken });
    const adminCancel = await call(stack.apiUrl, 'POST', `/orders/${byAdmin.body.id}/cancel`, {});
    expect([customerCancel.status, adminCancel.status]).toEqual([200, 200]);
    expect(linksOf(customerCancel)).toEqual({ history: `/orders/${byCustomer.body.id}/history` });
    expect(linksOf(adminCancel)).toEqual({ history: `/orders/${byAdmin.body.id}/history`, 'temporal-ui': webUi(byAdmin.body.id) });

    const refused = await call(stack.apiUrl, 'POST', `/orders/${completed.id}/cancel`, {});
    expect(refused.status).toBe(409);
    expect(refused.headers.get('link')).toBeNull();
  });
});
