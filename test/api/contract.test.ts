import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderSummary } from '../../src/api/orders/index.js';
import type { WebhookEndpoint } from '../../src/api/webhooks/index.js';
import { anOrderRequest, call, waitForOrderStatus, type ApiResponse } from '../support/api-client.js';
import { startOrderStack, type OrderStack } from '../support/order-stack.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';

const CATALOGUE = [{ sku: 'KBD-001', name: 'Mechanical keyboard', unitPrice: 8900, currency: 'USD', stockAvailable: 100 }];
const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';
const NEW_PRODUCT = { sku: 'CON-001', name: 'Contract pad', unitPrice: 100, currency: 'USD', stockAvailable: 1 };

type OpenApi = {
  paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: unknown }> }> }>>;
  components: { schemas: Record<string, unknown> };
};

interface ProbeIds {
  completed: string;
  paying: string;
  /** A webhook endpoint the probes read, change and finally delete, and one that is disabled. */
  endpoint: string;
  disabledEndpoint: string;
  receiverUrl: string;
}

interface Probe {
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** The bearer token; the stack's admin token when absent, none when null. */
  token?: string | null;
  /** Runs just before the call. */
  before?: () => Promise<unknown>;
}

/**
 * Calls for every documented route, chosen to produce each documented status that a healthy stack
 * can produce. The test fails if a documented route has no calls here, or a call gets a response
 * that the document does not describe.
 */
function probesFor(ids: ProbeIds, healGateway: () => Promise<unknown>, customerToken: string): Record<string, Probe[]> {
  const anonymous = (path: string, body?: unknown): Probe => ({ path, body, token: null });
  const asCustomer = (path: string, body?: unknown): Probe => ({ path, body, token: customerToken });
  const endpoint = `/webhook-endpoints/${ids.endpoint}`;
  return {
    'GET /events': [{ path: '/events?limit=5' }, asCustomer('/events'), { path: '/events?type=order.shipped' }, { path: '/events?after=-1' }, anonymous('/events')],
    'POST /webhook-endpoints': [
      { path: '/webhook-endpoints', body: { url: ids.receiverUrl, eventTypes: ['order.completed'] } },
      { path: '/webhook-endpoints', body: { url: 'not a url' } },
      { path: '/webhook-endpoints', body: { url: ids.receiverUrl, unknown: true } },
      asCustomer('/webhook-endpoints', { url: ids.receiverUrl }),
      anonymous('/webhook-endpoints', { url: ids.receiverUrl }),
    ],
    'GET /webhook-endpoints': [{ path: '/webhook-endpoints' }, asCustomer('/webhook-endpoints'), anonymous('/webhook-endpoints')],
    'GET /webhook-endpoints/{id}': [
      { path: endpoint },
      { path: '/webhook-endpoints/nope' },
      { path: `/webhook-endpoints/${UNKNOWN_ID}` },
      asCustomer(endpoint),
      anonymous(endpoint),
    ],
    'PATCH /webhook-endpoints/{id}': [
      { path: endpoint, body: { description: 'contract' } },
      { path: endpoint, body: { status: 'PAUSED' } },
      { path: `/webhook-endpoints/${UNKNOWN_ID}`, body: { description: 'x' } },
      asCustomer(endpoint, { description: 'x' }),
      anonymous(endpoint, { description: 'x' }),
    ],
    'GET /webhook-endpoints/{id}/deliveries': [
      { path: `${endpoint}/deliveries` },
      { path: `${endpoint}/deliveries?limit=0` },
      { path: `/webhook-endpoints/${UNKNOWN_ID}/deliveries` },
      asCustomer(`${endpoint}/deliveries`),
      anonymous(`${endpoint}/deliveries`),
    ],
    'POST /webhook-endpoints/{id}/replay': [
      { path: `${endpoint}/replay?after=0` },
      { path: `${endpoint}/replay?after=-1` },
      { path: `/webhook-endpoints/${UNKNOWN_ID}/replay?after=0` },
      { path: `/webhook-endpoints/${ids.disabledEndpoint}/replay?after=0` },
      asCustomer(`${endpoint}/replay?after=0`),
      anonymous(`${endpoint}/replay?after=0`),
    ],
    // Last: the endpoint the probes above read goes.
    'DELETE /webhook-endpoints/{id}': [asCustomer(endpoint), anonymous(endpoint), { path: endpoint }, { path: endpoint }, { path: '/webhook-endpoints/nope' }],
    // First, while the gateway fails charges and holds `paying` at RESERVED.
    'POST /orders/{id}/cancel': [
      { path: `/orders/${ids.paying}/cancel`, body: { reason: 'contract test' } },
      { path: `/orders/${ids.completed}/cancel`, body: {} },
      { path: `/orders/${UNKNOWN_ID}/cancel` },
      { path: `/orders/${ids.completed}/cancel`, body: { because: 'unknown field' } },
      { path: `/orders/${ids.completed}/cancel`, body: { reason: 'x' }, headers: { 'idempotency-key': 'contract-cancel-key' } },
      { path: `/orders/${ids.completed}/cancel`, body: { reason: 'y' }, headers: { 'idempotency-key': 'contract-cancel-key' } },
      anonymous(`/orders/${ids.completed}/cancel`),
    ],
    'GET /health': [{ path: '/health' }],
    'GET /ready': [{ path: '/ready' }],
    'GET /products': [{ path: '/products' }, anonymous('/products')],
    'POST /products': [
      { path: '/products', body: NEW_PRODUCT },
      { path: '/products', body: NEW_PRODUCT },
      { path: '/products', body: { ...NEW_PRODUCT, sku: '' } },
      { path: '/products', body: { ...NEW_PRODUCT, sku: 'CON-002' }, token: customerToken },
      anonymous('/products', { ...NEW_PRODUCT, sku: 'CON-003' }),
    ],
    'PATCH /products/{sku}': [
      { path: '/products/KBD-001', body: { unitPrice: 8900 } },
      { path: '/products/KBD-001', body: {} },
      { path: '/products/NOPE-1', body: { unitPrice: 1 } },
      { path: '/products/KBD-001', body: { unitPrice: 1 }, token: customerToken },
      anonymous('/products/KBD-001', { unitPrice: 1 }),
    ],
    'POST /products/{sku}/stock-adjustments': [
      { path: '/products/KBD-001/stock-adjustments', body: { quantity: 5, reason: 'contract' }, headers: { 'idempotency-key': 'contract-restock' } },
      { path: '/products/KBD-001/stock-adjustments', body: { quantity: 5, reason: 'contract' }, headers: { 'idempotency-key': 'contract-restock' } },
      { path: '/products/KBD-001/stock-adjustments', body: { quantity: 6, reason: 'contract' }, headers: { 'idempotency-key': 'contract-restock' } },
      { path: '/products/KBD-001/stock-adjustments', body: { quantity: -1_000_000, reason: 'contract' }, headers: { 'idempotency-key': 'contract-too-many' } },
      { path: '/products/NOPE-1/stock-adjustments', body: { quantity: 1, reason: 'contract' }, headers: { 'idempotency-key': 'contract-nope' } },
      { path: '/products/KBD-001/stock-adjustments', body: { quantity: 1, reason: 'no key' } },
      {
        path: '/products/KBD-001/stock-adjustments',
        body: { quantity: 1, reason: 'contract' },
        headers: { 'idempotency-key': 'contract-customer' },
        token: customerToken,
      },
      anonymous('/products/KBD-001/stock-adjustments', { quantity: 1, reason: 'contract' }),
    ],
    'POST /orders': [
      { path: '/orders', body: anOrderRequest({ customerId: 'cus_contract' }) },
      // From here on charges go through again, so an order can complete within the wait.
      { path: '/orders', body: anOrderRequest({ customerId: 'cus_contract_wait' }), headers: { prefer: 'wait=10' }, before: healGateway },
      { path: '/orders', body: { customerId: 'cus_contract', items: [] } },
      { path: '/orders', body: anOrderRequest({ customerId: 'cus_contract' }), headers: { 'idempotency-key': 'contract-key' } },
      { path: '/orders', body: anOrderRequest({ customerId: 'cus_contract', items: [{ sku: 'KBD-001', quantity: 2 }] }), headers: { 'idempotency-key': 'contract-key' } },
      { path: '/orders', body: anOrderRequest({ customerId: 'cus_contract' }), token: customerToken },
      anonymous('/orders', anOrderRequest({ customerId: 'cus_contract' })),
    ],
    'GET /orders': [
      { path: '/orders?limit=2' },
      { path: '/orders?customerId=cus_contract&status=COMPLETED' },
      { path: '/orders?limit=1000' },
      { path: '/orders?customerId=cus_contract', token: customerToken },
      anonymous('/orders'),
    ],
    'GET /orders/{id}': [{ path: `/orders/${ids.completed}` }, { path: `/orders/${UNKNOWN_ID}` }, { path: '/orders/not-a-uuid' }, anonymous(`/orders/${ids.completed}`)],
    'GET /orders/{id}/history': [
      { path: `/orders/${ids.completed}/history` },
      { path: `/orders/${UNKNOWN_ID}/history` },
      { path: '/orders/nope/history' },
      anonymous(`/orders/${ids.completed}/history`),
    ],
  };
}

/** Statuses that a healthy stack cannot be made to return from here, and why. */
const NOT_PROBED: Record<string, number[]> = {
  // Temporal unreachable (test/api/intake-start-failures.test.ts, load-shedding.test.ts), too many in flight;
  // 429 over the per-token rate limit (test/api/overload.test.ts): not a healthy contract run
  'POST /orders': [429, 503],
  'GET /ready': [503], // a dependency down
  'GET /orders/{id}/history': [503], // Temporal does not answer in time
  'POST /orders/{id}/cancel': [202, 503], // a saga slower than the short wait, or no worker: test/api/cancel-deadlines.test.ts
  // PostgreSQL unreachable: test/api/load-shedding.test.ts
  'GET /orders': [503],
  'GET /orders/{id}': [503],
  'GET /products': [503],
  'POST /products': [503],
  'PATCH /products/{sku}': [503],
  'POST /products/{sku}/stock-adjustments': [503],
  // PostgreSQL unreachable, or (writes) an API started without the webhook dependencies
  'GET /events': [503],
  'POST /webhook-endpoints': [503],
  'GET /webhook-endpoints': [503],
  'GET /webhook-endpoints/{id}': [503],
  'PATCH /webhook-endpoints/{id}': [503],
  'DELETE /webhook-endpoints/{id}': [503],
  'GET /webhook-endpoints/{id}/deliveries': [503],
  'POST /webhook-endpoints/{id}/replay': [503],
};

describe('the OpenAPI document is honest', () => {
  let stack: OrderStack;
  let receiver: WebhookReceiver;
  let doc: OpenApi;
  let ajv: Ajv2020;
  beforeAll(async () => {
    stack = await startOrderStack({ catalogue: CATALOGUE, webhooks: {} });
    receiver = await startWebhookReceiver();
    doc = (await call<OpenApi>(stack.apiUrl, 'GET', '/openapi.json')).body;
    ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats.default(ajv);
    ajv.addSchema({ $id: 'doc', components: doc.components });
  });
  afterAll(async () => {
    await stack.stop();
    await receiver?.close();
  });

  const withDocRefs = (schema: unknown) => JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"doc#/components/')) as object;

  it('serves OpenAPI 3.1 and an interactive reference', async () => {
    expect((doc as unknown as { openapi: string }).openapi).toBe('3.1.0');
    const docs = await fetch(`${stack.apiUrl}/docs`);
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain('/openapi.json');
  });

  it('declares the bearer scheme, required everywhere but on the probes', () => {
    const document = doc as unknown as {
      security: unknown;
      components: { securitySchemes: Record<string, unknown> };
      paths: Record<string, Record<string, { security?: unknown[] }>>;
    };
    expect(document.components.securitySchemes).toEqual({ bearer: expect.objectContaining({ type: 'http', scheme: 'bearer' }) });
    expect(document.security).toEqual([{ bearer: [] }]);
    const open = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods)
        .filter(([, operation]) => operation.security?.length === 0)
        .map(([method]) => `${method} ${path}`),
    );
    expect(open.sort()).toEqual(['get /health', 'get /ready']);
  });

  it('documents every response that every route really gives', async () => {
    const placed = await call<OrderSummary>(stack.apiUrl, 'POST', '/orders', anOrderRequest({ customerId: 'cus_contract' }));
    await waitForOrderStatus(stack.apiUrl, placed.body.id, ['COMPLETED']);
    // An order held at RESERVED by a gateway that fails charges (refunds still go through), so that a cancel can succeed.
    await stack.gateway.setFaults({ failureRate: 1, latencyMs: 0, seed: 3, paths: ['/charges'] });
    const paying = await call<OrderSummary>(stack.apiUrl, 'POST', '/orders', anOrderRequest({ customerId: 'cus_contract_cancel' }));
    await waitForOrderStatus(stack.apiUrl, paying.body.id, ['RESERVED']);
    const register = async () => (await call<WebhookEndpoint>(stack.apiUrl, 'POST', '/webhook-endpoints', { url: receiver.url })).body.id;
    const [endpoint, disabledEndpoint] = [await register(), await register()];
    expect((await call(stack.apiUrl, 'PATCH', `/webhook-endpoints/${disabledEndpoint}`, { status: 'DISABLED' })).status).toBe(200);
    const probes = probesFor(
      { completed: placed.body.id, paying: paying.body.id, endpoint, disabledEndpoint, receiverUrl: receiver.url },
      () => stack.gateway.setFaults({ failureRate: 0, latencyMs: 0, seed: 3, paths: [] }),
      // A customer other than cus_contract: naming cus_contract is 403 to it.
      stack.customerToken('cus_contract_other'),
    );

    const documented = Object.entries(doc.paths).flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`));
    expect(Object.keys(probes).sort()).toEqual(documented.sort());

    const problems: string[] = [];
    for (const [route, calls] of Object.entries(probes)) {
      const [method, template] = route.split(' ') as [string, string];
      const responses = doc.paths[template]![method.toLowerCase()]!.responses;
      const seen = new Set<number>();
      for (const probe of calls) {
        await probe.before?.();
        const response: ApiResponse = await call(stack.apiUrl, method, probe.path, probe.body, probe.headers, {
          token: probe.token === undefined ? stack.adminToken : probe.token,
        });
        seen.add(response.status);
        const documentedResponse = responses[String(response.status)];
        if (!documentedResponse) {
          problems.push(`${method} ${probe.path} answered ${response.status}, which is not documented for ${route}`);
          continue;
        }
        const contentType = response.headers.get('content-type')?.split(';')[0] ?? '';
        // A response documented without content (204) must come without a body.
        if (!documentedResponse.content && !contentType && response.body === undefined) continue;
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
