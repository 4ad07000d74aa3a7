import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../devstack/wait-for.js';
import { encodeCursor } from '../../src/api/orders/list-cursor.js';
import { call } from '../support/api-client.js';
import { aroundValid, hostileHeaderValue, hostileString, percentEncode } from '../support/hostile-strings.js';
import { documentedRoutes, type DocumentedRoute, type OpenApiDocument, type StringField } from '../support/openapi-fields.js';
import { startOrderStack, type OrderStack } from '../support/order-stack.js';
import { intakeRowCounts } from '../support/row-counts.js';

const CATALOGUE = [{ sku: 'KBD-001', name: 'Mechanical keyboard', unitPrice: 8900, currency: 'USD', stockAvailable: 1_000_000 }];
const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';
/** About this many hostile requests in all, spread over the fields; each field gets at least a dozen. */
const TOTAL_RUNS = 300;
const MIN_RUNS_PER_FIELD = 12;
/** Longer than any field allows and, in a body, than the body limit; a URL or header stays under Node's 16 KiB header limit. */
const HUGE_IN_BODY = 70_000;
const HUGE_IN_URL_OR_HEADER = 4_000;

interface Baseline {
  path?: Record<string, string>;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: Record<string, unknown>;
}

/**
 * A valid request for each documented route that takes input, so a case changes one field and
 * the rest still passes. A route the document gains without a baseline here fails the test.
 * The ids are unknown, so a valid cancel or history read stops at 404 without waiting on a saga.
 */
const BASELINES: Record<string, Baseline> = {
  'POST /orders': {
    headers: {
      'idempotency-key': 'fuzz',
      prefer: 'return=minimal',
      'content-type': 'application/json',
      'x-request-id': 'fuzz-request',
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
    },
    body: { customerId: 'cus_fuzz', items: [{ sku: 'KBD-001', quantity: 1 }], paymentToken: 'tok_visa' },
  },
  'GET /orders': {
    query: {
      customerId: 'cus_fuzz',
      status: 'PENDING',
      createdFrom: '2020-01-01T00:00:00Z',
      createdTo: '2999-01-01T00:00:00Z',
      limit: '5',
      cursor: encodeCursor({ createdAt: '2999-01-01T00:00:00.000Z', id: UNKNOWN_ID }),
    },
  },
  'GET /orders/{id}': { path: { id: UNKNOWN_ID } },
  'GET /orders/{id}/history': { path: { id: UNKNOWN_ID } },
  'POST /orders/{id}/cancel': { path: { id: UNKNOWN_ID }, headers: { 'idempotency-key': 'fuzz-cancel' }, body: { reason: 'fuzz' } },
  // The catalogue's admin routes: a SKU no product has, so a valid change stops at 404 and adds nothing.
  'POST /products': { body: { sku: 'FUZZ-NEW', name: 'Fuzzed product', unitPrice: 100, currency: 'USD', stockAvailable: 1 } },
  'PATCH /products/{sku}': { path: { sku: 'NO-SUCH-SKU' }, body: { name: 'Renamed' } },
  'POST /products/{sku}/stock-adjustments': { path: { sku: 'NO-SUCH-SKU' }, headers: { 'idempotency-key': 'fuzz-adjust' }, body: { quantity: 1, reason: 'fuzz' } },
  'GET /events': { query: { after: '0', type: 'order.created,order.paid', limit: '5' } },
  // A public address as a literal, so a valid registration needs no DNS (the machine has none) and passes the outbound policy.
  'POST /webhook-endpoints': { body: { url: 'https://93.184.215.14/hooks/orders', eventTypes: ['order.paid'], description: 'fuzz' } },
  // The webhook endpoint routes: an id no endpoint has, so a valid request stops at 404 and changes nothing.
  'GET /webhook-endpoints/{id}': { path: { id: UNKNOWN_ID } },
  'PATCH /webhook-endpoints/{id}': {
    path: { id: UNKNOWN_ID },
    body: { url: 'https://93.184.215.14/hooks/orders', eventTypes: ['order.paid'], description: 'renamed', status: 'ENABLED' },
  },
  'DELETE /webhook-endpoints/{id}': { path: { id: UNKNOWN_ID } },
  'GET /webhook-endpoints/{id}/deliveries': { path: { id: UNKNOWN_ID }, query: { after: '0', limit: '5' } },
  'POST /webhook-endpoints/{id}/replay': { path: { id: UNKNOWN_ID }, query: { after: '0' } },
};

/** Headers the API's middleware reads on every request, though no route documents them. */
const MIDDLEWARE_HEADERS = ['content-type', 'x-request-id', 'traceparent'];

function setAt(target: Record<string, unknown>, at: (string | number)[], value: unknown): void {
  let node = target as Record<string | number, unknown>;
  for (const key of at.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  // defineProperty, so a key such as __proto__ becomes an own property that JSON.stringify sends.
  Object.defineProperty(node, at.at(-1)!, { value, enumerable: true, writable: true, configurable: true });
}

const getAt = (source: unknown, at: (string | number)[]): unknown => at.reduce((node, key) => (node as Record<string | number, unknown> | undefined)?.[key], source);

/** The baseline request with `field` set to `value` (and, for a body, `mutate` applied), ready for fetch. */
function requestFor(route: DocumentedRoute, field: StringField | undefined, value: string, mutate?: (body: Record<string, unknown>) => void) {
  const baseline = BASELINES[route.route]!;
  const pick = (where: StringField['in'], name: string, valid: string) => (field?.in === where && field.name === name ? value : valid);
  const path = route.path.replace(/\{([^}]+)\}/g, (_, name: string) => percentEncode(pick('path', name, baseline.path![name]!)));
  const query = Object.entries(baseline.query ?? {})
    .map(([name, valid]) => `${encodeURIComponent(name)}=${percentEncode(pick('query', name, valid))}`)
    .join('&');
  const headers = Object.fromEntries(Object.entries(baseline.headers ?? {}).map(([name, valid]) => [name, pick('header', name, valid)]));
  // A fresh key per case: a case is then never the replay of an earlier one, unless the key is what is fuzzed.
  if ('idempotency-key' in headers && field?.name !== 'idempotency-key') headers['idempotency-key'] = `fuzz-${randomUUID()}`;
  let body: string | undefined;
  if (baseline.body) {
    const copy = structuredClone(baseline.body);
    if (field?.in === 'body') setAt(copy, field.at, value);
    mutate?.(copy);
    body = JSON.stringify(copy);
    headers['content-type'] ??= 'application/json';
  }
  return { path: query ? `${path}?${query}` : path, headers, body };
}

function validValueOf(field: StringField): string {
  const baseline = BASELINES[field.route]!;
  const valid = field.in === 'body' ? getAt(baseline.body, field.at) : field.in === 'header' ? baseline.headers?.[field.name] : baseline[field.in]?.[field.name];
  if (typeof valid !== 'string') throw new Error(`${field.route}: no valid ${field.in} ${field.name} in BASELINES; add one`);
  return valid;
}

describe('hostile strings in every field of every documented route', () => {
  let stack: OrderStack;
  let routes: DocumentedRoute[];
  beforeAll(async () => {
    // No worker: an order a valid case places only waits, so a run costs requests, not sagas.
    stack = await startOrderStack({ catalogue: CATALOGUE, startWorker: false });
    routes = documentedRoutes((await call<OpenApiDocument>(stack.apiUrl, 'GET', '/openapi.json')).body);
  });
  afterAll(() => stack.stop());

  /** Sends one case; it may succeed, but it never fails on our side, and a refused case is problem+json and wrote nothing. */
  async function expectHandled(label: string, request: ReturnType<typeof requestFor>, method: string): Promise<void> {
    const before = await intakeRowCounts(stack.database);
    const response = await fetch(stack.apiUrl + request.path, { method, headers: request.headers, body: request.body });
    const text = await response.text();
    const seen = `${label} -> ${response.status} ${text.slice(0, 300)}`;
    expect(response.status, seen).toBeLessThan(500);
    if (response.status >= 400) {
      expect(response.headers.get('content-type'), seen).toBe('application/problem+json');
      expect(await intakeRowCounts(stack.database), seen).toEqual(before);
    }
  }

  it('never answers 5xx, refuses as problem+json, and a refused request writes no row and starts no workflow', { timeout: 300_000 }, async () => {
    const withInput = routes.filter((r) => r.fields.length > 0);
    const missing = withInput.filter((r) => !BASELINES[r.route]).map((r) => r.route);
    expect(missing, 'documented routes without a baseline request').toEqual([]);

    const fields = withInput.flatMap((r) =>
      r.route === 'POST /orders' ? [...r.fields, ...MIDDLEWARE_HEADERS.map((name): StringField => ({ route: r.route, in: 'header', name, at: [] }))] : r.fields,
    );
    const runsPerField = Math.max(MIN_RUNS_PER_FIELD, Math.ceil(TOTAL_RUNS / fields.length));
    for (const field of fields) {
      const route = withInput.find((r) => r.route === field.route)!;
      const valid = validValueOf(field);
      const hostile = field.in === 'header' ? hostileHeaderValue(HUGE_IN_URL_OR_HEADER) : hostileString(field.in === 'body' ? HUGE_IN_BODY : HUGE_IN_URL_OR_HEADER);
      await fc.assert(
        fc.asyncProperty(aroundValid(valid, hostile), (value) =>
          expectHandled(`${field.route} ${field.in} ${field.name}=${JSON.stringify(value.slice(0, 80))}`, requestFor(route, field, value), route.method),
        ),
        { numRuns: runsPerField },
      );
    }

    // Keys that pollute prototypes, in every object of every body.
    const pollutingKey = fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty');
    const pollutingValue = fc.constantFrom<unknown>({ polluted: true }, { prototype: { polluted: true } }, 'x', 1, null, []);
    for (const route of withInput.filter((r) => r.bodyObjects.length > 0)) {
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...route.bodyObjects), pollutingKey, pollutingValue, (at, key, value) =>
          expectHandled(
            `${route.route} body ${[...at, key].join('.')}`,
            requestFor(route, undefined, '', (body) => setAt(body, [...at, key], value)),
            route.method,
          ),
        ),
        { numRuns: MIN_RUNS_PER_FIELD * route.bodyObjects.length },
      );
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();

    // Every order row has its one workflow, and no workflow lacks its row: no refused request started one.
    const { orders } = await intakeRowCounts(stack.database);
    await waitFor(`as many workflows as the ${orders} orders on ${stack.taskQueue}`, async () => {
      let workflows = 0;
      for await (const _ of stack.temporal.workflow.list({ query: `TaskQueue = '${stack.taskQueue}'` })) workflows += 1;
      if (workflows !== orders) throw new Error(`${workflows} workflows`);
      return true;
    });
  });
});
