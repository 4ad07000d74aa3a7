import type { Client } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import type { Database } from '../db/client.js';
import { createApiMetrics } from '../observability/api-metrics.js';
import { createLogger } from '../platform/logger.js';
import { hashToken } from '../platform/api-tokens.js';
import { createApp } from './app.js';

const ORDER_ID = '00000000-0000-4000-8000-000000000001';
const ADMIN_TOKEN = 'app-test-admin-token';
const asAdmin = { authorization: `Bearer ${ADMIN_TOKEN}` };
const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** The app with dependencies that are never reached: every request here is answered before a handler runs. */
function anAppWithoutBackends() {
  const metrics = createApiMetrics();
  const tokens = [{ role: 'admin' as const, subject: 'test-admin', hash: hashToken(ADMIN_TOKEN) }];
  const app = createApp({
    db: {} as Database,
    temporal: {} as Client,
    taskQueue: 'unused',
    logger: createLogger({ name: 'api', level: 'silent', pretty: false }),
    metrics,
    tokens,
  });
  return { app, metrics };
}

const postJson = (body: unknown) => ({ method: 'POST', headers: { 'content-type': 'application/json', ...asAdmin }, body: JSON.stringify(body) });

describe('modules mounted at their paths', () => {
  it('documents each route under its full path, and answers a method it lacks with 405 and its Allow', async () => {
    const { app } = anAppWithoutBackends();
    const document = (await (await app.request('/openapi.json')).json()) as { paths: Record<string, Record<string, unknown>> };
    expect(Object.keys(document.paths).sort()).toEqual([
      '/events',
      '/health',
      '/orders',
      '/orders/{id}',
      '/orders/{id}/cancel',
      '/orders/{id}/history',
      '/products',
      '/products/{sku}',
      '/products/{sku}/stock-adjustments',
      '/ready',
      '/webhook-endpoints',
      '/webhook-endpoints/{id}',
      '/webhook-endpoints/{id}/deliveries',
      '/webhook-endpoints/{id}/replay',
    ]);
    for (const [template, operations] of Object.entries(document.paths)) {
      const documented = Object.keys(operations).map((method) => method.toUpperCase());
      const wrong = HTTP_METHODS.find((method) => !documented.includes(method))!;
      const response = await app.request(template.replace('{id}', ORDER_ID).replace('{sku}', 'KBD-001'), { method: wrong, headers: asAdmin });
      expect(response.status, `${wrong} ${template}`).toBe(405);
      expect(response.headers.get('allow')?.split(', ').sort()).toEqual(documented.sort());
    }
  });

  it('counts refusals of POST /orders as rejected orders, and no other route’s', async () => {
    const { app, metrics } = anAppWithoutBackends();
    expect((await app.request('/orders', postJson({ customerId: '' }))).status).toBe(400);
    expect((await app.request(`/orders/${ORDER_ID}/cancel`, postJson({ unknown: true }))).status).toBe(400);
    expect((await app.request('/orders?limit=0', { headers: asAdmin })).status).toBe(400);
    const counted = (await metrics.ordersTotal.get()).values.filter((sample) => sample.value > 0);
    expect(counted).toEqual([{ labels: { outcome: 'rejected', reason: 'validation-error' }, value: 1 }]);
  });
});
