import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderSummary } from '../../src/api/orders/index.js';
import { anOrderRequest, call, waitForOrderStatus, type ApiResponse } from '../support/api-client.js';
import { startOrderStack, type OrderStack } from '../support/order-stack.js';

const CATALOGUE = [{ sku: 'KBD-001', name: 'Mechanical keyboard', unitPrice: 8900, currency: 'USD', stockAvailable: 100 }];
const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

type OpenApi = {
  paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: unknown }> }> }>>;
  components: { schemas: Record<string, unknown> };
};

interface Probe {
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** Runs just before the call. */
  before?: () => Promise<unknown>;
}

/**
 * Calls for every documented route, chosen to produce each documented status that a healthy stack
 * can produce. The test fails if a documented route has no calls here, or a call gets a response
 * that the document does not describe.
 */
function probesFor(ids: { completed: string; paying: string }, healGateway: () => Promise<unknown>): Record<string, Probe[]> {
  return {
    // First, while the gateway fails charges and holds `paying` at RESERVED.
    'POST /orders/{id}/cancel': [
      { path: `/orders/${ids.paying}/cancel`, body: { reason: 'contract test' } },
      { path: `/orders/${ids.completed}/cancel`, body: {} },
      { path: `/orders/${UNKNOWN_ID}/cancel` },
      { path: `/orders/${ids.completed}/cancel`, body: { because: 'unknown field' } },
      { path: `/orders/${ids.completed}/cancel`, body: { reason: 'x' }, headers: { 'idempotency-key': 'contract-cancel-key' } },
      { path: `/orders/${ids.completed}/cancel`, body: { reason: 'y' }, headers: { 'idempotency-key': 'contract-cancel-key' } },
    ],
    'GET /health': [{ path: '/health' }],
    'GET /ready': [{ path: '/ready' }],
    'GET /products': [{ path: '/products' }],
    'POST /orders': [
      { path: '/orders', body: anOrderRequest({ customerId: 'cus_contract' }) },
      // From here on charges go through again, so an order can complete within the wait.
      { path: '/orders', body: anOrderRequest({ customerId: 'cus_contract_wait' }), headers: { prefer: 'wait=10' }, before: healGateway },
      { path: '/orders', body: { customerId: 'cus_contract', items: [] } },
      { path: '/orders', body: anOrderRequest({ customerId: 'cus_contract' }), headers: { 'idempotency-key': 'contract-key' } },
      { path: '/orders', body: anOrderRequest({ customerId: 'cus_contract', items: [{ sku: 'KBD-001', quantity: 2 }] }), headers: { 'idempotency-key': 'contract-key' } },
    ],
    'GET /orders': [{ path: '/orders?limit=2' }, { path: '/orders?customerId=cus_contract&status=COMPLETED' }, { path: '/orders?limit=1000' }],
    'GET /orders/{id}': [{ path: `/orders/${ids.completed}` }, { path: `/orders/${UNKNOWN_ID}` }, { path: '/orders/not-a-uuid' }],
    'GET /orders/{id}/history': [{ path: `/orders/${ids.completed}/history` }, { path: `/orders/${UNKNOWN_ID}/history` }, { path: '/orders/nope/history' }],
  };
}

/** Statuses that a healthy stack cannot be made to return from here, and why. */
const NOT_PROBED: Record<string, number[]> = {
  'POST /orders': [503], // Temporal unreachable: test/api/intake-start-failures.test.ts, not a healthy contract run
  'GET /ready': [503], // a dependency down
  'GET /orders/{id}/history': [503], // Temporal does not answer in time
  'POST /orders/{id}/cancel': [202, 503], // a saga slower than the short wait, or no worker: test/api/cancel-deadlines.test.ts
};

describe('the OpenAPI document is honest', () => {
  let stack: OrderStack;
  let doc: OpenApi;
  let ajv: Ajv2020;
  beforeAll(async () => {
    stack = await startOrderStack({ catalogue: CATALOGUE });
    doc = (await call<OpenApi>(stack.apiUrl, 'GET', '/openapi.json')).body;
    ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats.default(ajv);
    ajv.addSchema({ $id: 'doc', components: doc.components });
  });
  afterAll(() => stack.stop());

  const withDocRefs = (schema: unknown) => JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"doc#/components/')) as object;

  it('serves OpenAPI 3.1 and an interactive reference', async () => {
    expect((doc as unknown as { openapi: string }).openapi).toBe('3.1.0');
    const docs = await fetch(`${stack.apiUrl}/docs`);
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain('/openapi.json');
  });

  it('documents every response that every route really gives', async () => {
    const placed = await call<OrderSummary>(stack.apiUrl, 'POST', '/orders', anOrderRequest({ customerId: 'cus_contract' }));
    await waitForOrderStatus(stack.apiUrl, placed.body.id, ['COMPLETED']);
    // An order held at RESERVED by a gateway that fails charges (refunds still go through), so that a cancel can succeed.
    await stack.gateway.setFaults({ failureRate: 1, latencyMs: 0, seed: 3, paths: ['/charges'] });
    const paying = await call<OrderSummary>(stack.apiUrl, 'POST', '/orders', anOrderRequest({ customerId: 'cus_contract_cancel' }));
    await waitForOrderStatus(stack.apiUrl, paying.body.id, ['RESERVED']);
    const probes = probesFor({ completed: placed.body.id, paying: paying.body.id }, () => stack.gateway.setFaults({ failureRate: 0, latencyMs: 0, seed: 3, paths: [] }));

    const documented = Object.entries(doc.paths).flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`));
    expect(Object.keys(probes).sort()).toEqual(documented.sort());

    const problems: string[] = [];
    for (const [route, calls] of Object.entries(probes)) {
      const [method, template] = route.split(' ') as [string, string];
      const responses = doc.paths[template]![method.toLowerCase()]!.responses;
      const seen = new Set<number>();
      for (const probe of calls) {
        await probe.before?.();
        const response: ApiResponse = await call(stack.apiUrl, method, probe.path, probe.body, probe.headers);
        seen.add(response.status);
        const documentedResponse = responses[String(response.status)];
        if (!documentedResponse) {
          problems.push(`${method} ${probe.path} answered ${response.status}, which is not documented for ${route}`);
          continue;
        }
        const contentType = response.headers.get('content-type')?.split(';')[0] ?? '';
        const media = documentedResponse.content?.[contentType];
        if (!media) {
          problems.push(`${method} ${probe.path} answered ${response.status} as ${contentType}, not documented for ${route}`);
          continue;
        }
        const validate = ajv.compile(withDocRefs(media.schema));
        if (!validate(response.body)) problems.push(`${method} ${probe.path} ${response.status}: ${ajv.errorsText(validate.errors)}`);
      }
      const unprobed = Object.keys(responses)
        .map(Number)
        .filter((status) => !seen.has(status) && !(NOT_PROBED[route] ?? []).includes(status));
      if (unprobed.length > 0) problems.push(`${route}: documented ${unprobed.join(', ')} but no probe produced it`);
    }
    await stack.gateway.setFaults({ failureRate: 0, latencyMs: 0, seed: 3 });
    expect(problems).toEqual([]);
  });
});
