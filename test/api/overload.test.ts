import type { Server } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../devstack/free-port.js';
import { waitFor } from '../../devstack/wait-for.js';
import { createApp, type OverloadOptions } from '../../src/api/app.js';
import { serveApi, type SlowClientTimeouts } from '../../src/api/http/slow-clients.js';
import { createLogger } from '../../src/platform/logger.js';
import { anOrderRequest, call, type ApiResponse } from '../support/api-client.js';
import { startOrderStack, type OrderStack } from '../support/order-stack.js';
import { RawConnection } from '../support/raw-http.js';

const CATALOGUE = [{ sku: 'KBD-001', name: 'Mechanical keyboard', unitPrice: 8900, currency: 'USD', stockAvailable: 10_000 }];
const quiet = createLogger({ name: 'api', level: 'silent', pretty: false });
const GENEROUS: SlowClientTimeouts = { headersTimeoutMs: 10_000, requestTimeoutMs: 30_000, keepAliveTimeoutMs: 5_000 };

interface Problem {
  type: string;
  status: number;
  detail: string;
}

describe('overload protection on the API', () => {
  let stack: OrderStack;
  const servers: Server[] = [];
  beforeAll(async () => {
    // No worker: an order with Prefer: wait stays in flight for its wait, which is how these tests hold requests open.
    stack = await startOrderStack({ catalogue: CATALOGUE, startWorker: false });
  });
  afterEach(async () => {
    for (const server of servers.splice(0)) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
  afterAll(() => stack.stop());

  /** This stack's parts behind an API with these limits, served as main.ts serves it. */
  async function serveWith(overload: OverloadOptions, timeouts: SlowClientTimeouts = GENEROUS): Promise<string> {
    const app = createApp({ db: stack.database.db, temporal: stack.temporal, taskQueue: stack.taskQueue, logger: quiet, tokens: stack.tokens, overload });
    const port = await freePort();
    await new Promise<void>((resolve) => servers.push(serveApi({ fetch: app.fetch, port, hostname: '127.0.0.1', timeouts }, () => resolve()) as Server));
    return `http://127.0.0.1:${port}`;
  }

  const placeOrder = (apiUrl: string, token: string, customerId: string, headers: Record<string, string> = {}) =>
    call<Problem>(apiUrl, 'POST', '/orders', anOrderRequest({ customerId }), headers, { token });

  describe('the rate limit per token on POST /orders', () => {
    it('a customer over its limit gets 429 problem+json with Retry-After and RateLimit-* headers; another customer is not affected', async () => {
      const apiUrl = await serveWith({ orderRateLimits: { customerLimit: 3, adminLimit: 100 } });
      const alice = stack.customerToken('cus_rate_alice');
      const answers: ApiResponse<Problem>[] = [];
      for (let i = 0; i < 4; i++) answers.push(await placeOrder(apiUrl, alice, 'cus_rate_alice'));

      expect(answers.slice(0, 3).map((a) => a.status)).toEqual([202, 202, 202]);
      expect(answers.map((a) => a.headers.get('ratelimit-remaining'))).toEqual(['2', '1', '0', '0']);
      const refused = answers[3]!;
      expect(refused.status).toBe(429);
      expect(refused.headers.get('content-type')).toBe('application/problem+json');
      expect(refused.body).toMatchObject({ type: 'https://orders.example/problems/rate-limited', status: 429 });
      expect(refused.headers.get('ratelimit-limit')).toBe('3');
      const retryAfter = Number(refused.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(60);
      // The refused request placed nothing: three orders, not four.
      const placed = await stack.database.sql`select id from orders where customer_id = 'cus_rate_alice'`;
      expect(placed).toHaveLength(3);

      const bob = await placeOrder(apiUrl, stack.customerToken('cus_rate_bob'), 'cus_rate_bob');
      expect(bob.status).toBe(202);
      expect(bob.headers.get('ratelimit-remaining')).toBe('2');
    });

    it('an admin token has a limit of its own, counted apart from the customers it places orders for', async () => {
      const apiUrl = await serveWith({ orderRateLimits: { customerLimit: 1, adminLimit: 2 } });
      const first = await placeOrder(apiUrl, stack.adminToken, 'cus_rate_admin_1');
      const second = await placeOrder(apiUrl, stack.adminToken, 'cus_rate_admin_2');
      const third = await placeOrder(apiUrl, stack.adminToken, 'cus_rate_admin_3');
      expect([first.status, second.status, third.status]).toEqual([202, 202, 429]);
      expect(first.headers.get('ratelimit-limit')).toBe('2');
      // Only POST /orders is limited: reads go on.
      expect((await call(apiUrl, 'GET', '/orders?limit=1', undefined, {}, { token: stack.adminToken })).status).toBe(200);
    });
  });

  describe('the bound on orders in flight', () => {
    it('beyond the bound a POST /orders gets 503 problem+json with Retry-After at once, and is taken again once one finishes', async () => {
      const apiUrl = await serveWith({ maxIntakeInFlight: 2 });
      // Two orders that wait two seconds for an outcome no worker will bring: both in flight meanwhile.
      const held = [placeOrder(apiUrl, stack.adminToken, 'cus_bound_1', { prefer: 'wait=2' }), placeOrder(apiUrl, stack.adminToken, 'cus_bound_2', { prefer: 'wait=2' })];
      const heldSettled = Promise.allSettled(held);
      const ordersOf = (customerId: string) => stack.database.sql`select id from orders where customer_id = ${customerId}`;
      // Both have been admitted once their rows exist; only then is the bound full.
      await waitFor(
        'both held orders to be admitted',
        async () => ((await ordersOf('cus_bound_1')).length + (await ordersOf('cus_bound_2')).length === 2 ? true : undefined),
        {
          timeoutMs: 10_000,
          intervalMs: 50,
        },
      );

      const started = Date.now();
      const refused = await placeOrder(apiUrl, stack.adminToken, 'cus_bound_3');
      const elapsed = Date.now() - started;
      expect(refused.status).toBe(503);
      expect(refused.headers.get('content-type')).toBe('application/problem+json');
      expect(refused.body.type).toBe('https://orders.example/problems/overloaded');
      expect(refused.headers.get('retry-after')).toBe('1');
      // Not queued behind the held ones (which take two seconds).
      expect(elapsed).toBeLessThan(1_000);
      expect(await ordersOf('cus_bound_3')).toHaveLength(0);

      expect((await heldSettled).map((r) => (r.status === 'fulfilled' ? r.value.status : r.reason))).toEqual([202, 202]);
      expect((await placeOrder(apiUrl, stack.adminToken, 'cus_bound_3')).status).toBe(202);
    });
  });

  describe('slow clients', () => {
    const SHORT: SlowClientTimeouts = { headersTimeoutMs: 1_000, requestTimeoutMs: 2_000, keepAliveTimeoutMs: 1_000 };

    it('a header trickled a byte at a time is cut off within the header timeout, while a normal client is served meanwhile', async () => {
      const apiUrl = await serveWith({}, SHORT);
      const loris = await RawConnection.open(apiUrl);
      const started = Date.now();
      loris.write('GET /health HTTP/1.1\r\nHost: api\r\nX-Slow: ');
      const trickle = (async () => {
        while (!loris.closed && Date.now() - started < 10_000) {
          loris.write('a');
          await sleep(100);
        }
      })();

      // Meanwhile, an ordinary client is answered at once.
      const normal = await call(apiUrl, 'GET', '/health');
      expect(normal.status).toBe(200);
      expect(Date.now() - started).toBeLessThan(1_000);

      expect((await loris.readResponse(5_000)).status).toBe(408);
      await loris.closedByServer(1_000);
      const heldMs = Date.now() - started;
      await trickle;
      // The header timeout, plus Node's check interval (a quarter of it), plus a loaded machine's slack.
      expect(heldMs).toBeGreaterThanOrEqual(SHORT.headersTimeoutMs - 100);
      expect(heldMs).toBeLessThan(SHORT.headersTimeoutMs + 2_000);
    });

    it('a body trickled a byte at a time is cut off within the request timeout', async () => {
      const apiUrl = await serveWith({}, SHORT);
      const loris = await RawConnection.open(apiUrl);
      const body = JSON.stringify(anOrderRequest({ customerId: 'cus_slow_body' }));
      const started = Date.now();
      loris.write(
        `POST /orders HTTP/1.1\r\nHost: api\r\nAuthorization: Bearer ${stack.adminToken}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
      );
      for (let i = 0; i < body.length - 1 && !loris.closed && Date.now() - started < 10_000; i++) {
        loris.write(body[i]!);
        await sleep(100);
      }
      expect((await loris.readResponse(5_000)).status).toBe(408);
      await loris.closedByServer(1_000);
      const heldMs = Date.now() - started;
      expect(heldMs).toBeGreaterThanOrEqual(SHORT.requestTimeoutMs - 100);
      expect(heldMs).toBeLessThan(SHORT.requestTimeoutMs + 2_500);
      const rows = await stack.database.sql`select id from orders where customer_id = 'cus_slow_body'`;
      expect(rows).toHaveLength(0);
    });

    it('the request timeout bounds reading the request, not answering it: a Prefer: wait longer than it still gets its answer', async () => {
      const apiUrl = await serveWith({}, SHORT);
      const started = Date.now();
      const answer = await placeOrder(apiUrl, stack.adminToken, 'cus_slow_answer', { prefer: 'wait=3' });
      expect(answer.status).toBe(202);
      expect(Date.now() - started).toBeGreaterThan(SHORT.requestTimeoutMs);
    });
  });
});
