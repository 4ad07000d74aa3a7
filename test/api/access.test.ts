import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderList, OrderSummary } from '../../src/api/orders/index.js';
import { anOrderRequest, call, waitForOrderStatus } from '../support/api-client.js';
import { startOrderStack, type OrderStack } from '../support/order-stack.js';

const CATALOGUE = [{ sku: 'KBD-001', name: 'Mechanical keyboard', unitPrice: 8900, currency: 'USD', stockAvailable: 100 }];
const PROBLEM = 'application/problem+json';

describe('bearer tokens: who may call, and whose orders a customer sees', () => {
  let stack: OrderStack;
  let alice: string;
  let bob: string;
  beforeAll(async () => {
    stack = await startOrderStack({ catalogue: CATALOGUE });
    alice = stack.customerToken('cus_alice');
    bob = stack.customerToken('cus_bob');
  });
  afterAll(() => stack.stop());

  const place = (token: string, body: unknown, headers: Record<string, string> = {}) => call<OrderSummary>(stack.apiUrl, 'POST', '/orders', body, headers, { token });

  it('401 with WWW-Authenticate: Bearer without a token, with an unknown one and with a malformed header; the probes and the document stay open', async () => {
    for (const [options, headers] of [
      [{ token: null }, {}],
      [{ token: 'not-a-token-anyone-was-given' }, {}],
      [{ token: null }, { authorization: 'Basic YWRtaW46YWRtaW4=' }],
    ] as const) {
      for (const [method, path] of [
        ['GET', '/orders'],
        ['GET', '/products'],
        ['POST', '/orders'],
        ['GET', '/nowhere'],
      ] as const) {
        const response = await call(stack.apiUrl, method, path, method === 'POST' ? anOrderRequest() : undefined, headers, options);
        expect(response.status, `${method} ${path}`).toBe(401);
        expect(response.headers.get('content-type')).toBe(PROBLEM);
        expect(response.headers.get('www-authenticate')).toMatch(/^Bearer /);
        expect(response.body).toMatchObject({ status: 401, type: 'https://orders.example/problems/unauthorized' });
      }
    }
    for (const path of ['/health', '/ready', '/openapi.json', '/docs'])
      expect((await call(stack.apiUrl, 'GET', path, undefined, {}, { token: null })).status, path).toBe(200);
    // Nothing was placed by the refused POSTs.
    expect((await call<OrderList>(stack.apiUrl, 'GET', '/orders')).body.data).toEqual([]);
  });

  it('a customer places orders for itself: the field may be left out; naming another customer is 403 and places nothing', async () => {
    const omitted = await place(alice, { items: [{ sku: 'KBD-001', quantity: 1 }] });
    expect(omitted.status).toBe(202);
    expect(omitted.body.customerId).toBe('cus_alice');
    expect((await place(alice, anOrderRequest({ customerId: 'cus_alice' }))).status).toBe(202);

    const forBob = await place(alice, anOrderRequest({ customerId: 'cus_bob' }));
    expect(forBob.status).toBe(403);
    expect(forBob.body).toMatchObject({ type: 'https://orders.example/problems/forbidden' });
    expect((await call<OrderList>(stack.apiUrl, 'GET', '/orders?customerId=cus_bob')).body.data).toEqual([]);
  });

  it('an admin names the customer: without customerId the request is 400', async () => {
    const response = await place(stack.adminToken, { items: [{ sku: 'KBD-001', quantity: 1 }] });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ errors: [{ pointer: '/customerId' }] });
  });

  it('another customer’s order is 404 to read, to trace and to cancel, and the cancel changes nothing', async () => {
    const { body: order } = await place(alice, anOrderRequest({ customerId: 'cus_alice' }));
    await waitForOrderStatus(stack.apiUrl, order.id, ['COMPLETED', 'RESERVED', 'PAID', 'PENDING']);
    for (const [method, path] of [
      ['GET', `/orders/${order.id}`],
      ['GET', `/orders/${order.id}/history`],
      ['POST', `/orders/${order.id}/cancel`],
    ] as const) {
      const response = await call(stack.apiUrl, method, path, undefined, {}, { token: bob });
      expect(response.status, `${method} ${path}`).toBe(404);
      expect(response.body).toMatchObject({ type: 'https://orders.example/problems/order-not-found' });
    }
    expect((await call(stack.apiUrl, 'GET', `/orders/${order.id}`, undefined, {}, { token: alice })).status).toBe(200);
    const settled = await waitForOrderStatus(stack.apiUrl, order.id, ['COMPLETED']);
    expect(settled.status).toBe('COMPLETED');
  });

  it('a customer lists its own orders; naming another customer is 403; an admin lists everyone’s', async () => {
    await place(bob, anOrderRequest({ customerId: 'cus_bob' }));
    const own = await call<OrderList>(stack.apiUrl, 'GET', '/orders?limit=100', undefined, {}, { token: bob });
    expect(own.status).toBe(200);
    expect(new Set(own.body.data.map((o) => o.customerId))).toEqual(new Set(['cus_bob']));
    expect((await call(stack.apiUrl, 'GET', '/orders?customerId=cus_alice', undefined, {}, { token: bob })).status).toBe(403);
    const all = await call<OrderList>(stack.apiUrl, 'GET', '/orders?limit=100');
    expect(new Set(all.body.data.map((o) => o.customerId))).toEqual(new Set(['cus_alice', 'cus_bob']));
  });

  it('an Idempotency-Key a second customer reuses is that customer’s own key: a new order, not a 422 or a replay', async () => {
    const first = await place(alice, { items: [{ sku: 'KBD-001', quantity: 1 }] }, { 'idempotency-key': 'shared-key' });
    const second = await place(bob, { items: [{ sku: 'KBD-001', quantity: 2 }] }, { 'idempotency-key': 'shared-key' });
    expect(first.status).toBe(202);
    expect(second.status).toBe(202);
    expect(second.headers.get('idempotent-replayed')).toBeNull();
    expect(second.body).toMatchObject({ customerId: 'cus_bob', items: [{ quantity: 2 }] });
    expect(second.body.id).not.toBe(first.body.id);
    // And each customer's retry replays its own order.
    const retried = await place(bob, { items: [{ sku: 'KBD-001', quantity: 2 }] }, { 'idempotency-key': 'shared-key' });
    expect(retried.body.id).toBe(second.body.id);
    expect(retried.headers.get('idempotent-replayed')).toBe('true');
  });
});

describe('browsers: no cross-origin access, and no state change without a JSON content type', () => {
  let stack: OrderStack;
  beforeAll(async () => {
    stack = await startOrderStack({ catalogue: CATALOGUE });
  });
  afterAll(() => stack.stop());

  it('refuses a request from another origin, preflight included, and answers no CORS headers', async () => {
    const fromElsewhere = await call(stack.apiUrl, 'GET', '/orders', undefined, { origin: 'https://evil.example' });
    expect(fromElsewhere.status).toBe(403);
    expect(fromElsewhere.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await fetch(`${stack.apiUrl}/orders`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
    });
    expect(preflight.status).toBe(403);
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    // The API's own origin (its /docs page) is not cross-origin.
    expect((await call(stack.apiUrl, 'GET', '/orders', undefined, { origin: stack.apiUrl })).status).toBe(200);
  });

  it('a form-encoded or untyped POST to cancel is 415 and cancels nothing', async () => {
    await stack.stopWorker();
    const { body: order } = await call<OrderSummary>(stack.apiUrl, 'POST', '/orders', anOrderRequest());
    for (const headers of [{ 'content-type': 'application/x-www-form-urlencoded' }, { 'content-type': 'text/plain' }]) {
      const response = await call(stack.apiUrl, 'POST', `/orders/${order.id}/cancel`, 'reason=csrf', headers);
      expect(response.status).toBe(415);
    }
    // A body-less POST with no content type: what a CORS simple request or an <img>-less form can send.
    const bare = await fetch(`${stack.apiUrl}/orders/${order.id}/cancel`, { method: 'POST', headers: { authorization: `Bearer ${stack.adminToken}` } });
    expect(bare.status).toBe(415);
    expect((await call<OrderSummary>(stack.apiUrl, 'GET', `/orders/${order.id}`)).body.status).toBe('PENDING');
    await stack.startWorker();
    await waitForOrderStatus(stack.apiUrl, order.id, ['COMPLETED']);
  });
});

describe('an allow-listed origin', () => {
  it('gets the CORS answers, preflight included', async () => {
    const stack = await startOrderStack({ catalogue: CATALOGUE, api: { corsAllowedOrigins: ['https://shop.example'] } });
    try {
      const preflight = await fetch(`${stack.apiUrl}/orders`, {
        method: 'OPTIONS',
        headers: { origin: 'https://shop.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get('access-control-allow-origin')).toBe('https://shop.example');
      const read = await call(stack.apiUrl, 'GET', '/products', undefined, { origin: 'https://shop.example' });
      expect(read.status).toBe(200);
      expect(read.headers.get('access-control-allow-origin')).toBe('https://shop.example');
    } finally {
      await stack.stop();
    }
  });
});
