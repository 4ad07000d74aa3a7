import { Writable } from 'node:stream';
import type { Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/app.js';
import type { Database } from '../../src/db/client.js';
import { hashToken } from '../../src/platform/api-tokens.js';
import { createLogger } from '../../src/platform/logger.js';
import { anOrderRequest, call } from '../support/api-client.js';
import { startOrderStack, type OrderStack } from '../support/order-stack.js';

const CATALOGUE = [{ sku: 'KBD-001', name: 'Mechanical keyboard', unitPrice: 8900, currency: 'USD', stockAvailable: 10 }];

// For the apps these tests build themselves, without the stack's tokens.
const ADMIN_TOKEN = 'errors-test-admin-token';
const tokens = [{ role: 'admin' as const, subject: 'test-admin', hash: hashToken(ADMIN_TOKEN) }];
const asAdmin = { authorization: `Bearer ${ADMIN_TOKEN}` };

interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  requestId?: string;
  errors?: { pointer: string; detail: string }[];
}

describe('every error is application/problem+json, and no rejected request writes anything', () => {
  let stack: OrderStack;
  beforeAll(async () => {
    stack = await startOrderStack({ catalogue: CATALOGUE });
  });
  afterAll(() => stack.stop());

  async function expectProblem(response: { status: number; headers: Headers; body: unknown }, status: number, type: string): Promise<ProblemBody> {
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    const body = response.body as ProblemBody;
    expect(body).toMatchObject({ status, type: `https://orders.example/problems/${type}` });
    expect(body.title).toEqual(expect.any(String));
    expect(body.detail).toEqual(expect.any(String));
    expect(body.instance).toEqual(expect.any(String));
    return body;
  }

  async function orderCount(): Promise<number> {
    const [row] = await stack.database.sql<{ count: string }[]>`select count(*)::text as count from orders`;
    return Number(row!.count);
  }

  it.each([
    ['a non-positive quantity', { customerId: 'cus_1', items: [{ sku: 'KBD-001', quantity: 0 }] }, '/items/0/quantity'],
    ['a missing field', { items: [{ sku: 'KBD-001', quantity: 1 }] }, '/customerId'],
    ['an unknown field', { customerId: 'cus_1', items: [{ sku: 'KBD-001', quantity: 1, price: 1 }] }, '/items/0/price'],
    ['an unknown SKU', { customerId: 'cus_1', items: [{ sku: 'NOPE', quantity: 1 }] }, '/items/0/sku'],
    ['no items', { customerId: 'cus_1', items: [] }, '/items'],
    [
      'a duplicated SKU',
      {
        customerId: 'cus_1',
        items: [
          { sku: 'KBD-001', quantity: 1 },
          { sku: 'KBD-001', quantity: 2 },
        ],
      },
      '/items/1/sku',
    ],
  ])('400 for %s, naming the field by JSON pointer', async (_case, body, pointer) => {
    const problem = await expectProblem(await call(stack.apiUrl, 'POST', '/orders', body), 400, 'validation-error');
    expect(problem.errors?.map((e) => e.pointer)).toContain(pointer);
    expect(await orderCount()).toBe(0);
  });

  it('400 for malformed JSON', async () => {
    await expectProblem(await call(stack.apiUrl, 'POST', '/orders', '{"customerId": "cus_1", '), 400, 'malformed-json');
    expect(await orderCount()).toBe(0);
  });

  it('400 for an Idempotency-Key longer than 255 characters', async () => {
    const problem = await expectProblem(await call(stack.apiUrl, 'POST', '/orders', anOrderRequest(), { 'idempotency-key': 'k'.repeat(256) }), 400, 'validation-error');
    expect(problem.errors?.[0]?.pointer).toBe('/idempotency-key');
    expect(await orderCount()).toBe(0);
  });

  it('415 for a body that is not JSON', async () => {
    await expectProblem(
      await call(stack.apiUrl, 'POST', '/orders', 'customerId=cus_1', { 'content-type': 'application/x-www-form-urlencoded' }),
      415,
      'unsupported-media-type',
    );
    expect(await orderCount()).toBe(0);
  });

  it('413 for a body over 64 KiB', async () => {
    const huge = { ...anOrderRequest(), customerId: 'x'.repeat(70 * 1024) };
    await expectProblem(await call(stack.apiUrl, 'POST', '/orders', huge), 413, 'body-too-large');
    expect(await orderCount()).toBe(0);
  });

  it('404 for an unknown route and for an unknown order', async () => {
    await expectProblem(await call(stack.apiUrl, 'GET', '/nowhere'), 404, 'not-found');
    await expectProblem(await call(stack.apiUrl, 'GET', '/orders/6f1c1a0e-8a4e-4e57-9a0c-2a7f1f0c2b11'), 404, 'order-not-found');
    await expectProblem(await call(stack.apiUrl, 'POST', '/orders/6f1c1a0e-8a4e-4e57-9a0c-2a7f1f0c2b11/cancel'), 404, 'order-not-found');
  });

  it('405 with an Allow header for a wrong method', async () => {
    const response = await call(stack.apiUrl, 'DELETE', '/orders');
    await expectProblem(response, 405, 'method-not-allowed');
    expect(response.headers.get('allow')?.split(', ').sort()).toEqual(['GET', 'POST']);
  });
});

describe('an unexpected crash', () => {
  it('answers 500 without a stack trace, with a request id that is in the logs', async () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const brokenDb = {
      select: () => {
        throw new Error('connection terminated unexpectedly');
      },
    } as unknown as Database;
    const app = createApp({ db: brokenDb, temporal: {} as Client, taskQueue: 'unused', logger: createLogger({ name: 'api', pretty: false, destination }), tokens });
    const response = await app.request('/products', { headers: asAdmin });
    expect(response.status).toBe(500);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    const text = await response.text();
    const body = JSON.parse(text) as ProblemBody;
    expect(body.requestId).toEqual(expect.any(String));
    expect(text).not.toContain('connection terminated');
    expect(text).not.toMatch(/at .*\.ts:\d+/);
    const errorLine = lines.map((l) => JSON.parse(l) as { level: string; requestId?: string; err?: { message: string } }).find((l) => l.level === 'error');
    expect(errorLine).toMatchObject({ requestId: body.requestId, err: { message: 'connection terminated unexpectedly' } });
  });
});
