import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../devstack/free-port.js';
import { waitFor } from '../../devstack/wait-for.js';
import { createApp, type CreateAppOptions } from '../../src/api/app.js';
import { connectDatabase, type DatabaseHandle } from '../../src/db/client.js';
import { createLogger } from '../../src/platform/logger.js';
import { anOrderRequest } from '../support/api-client.js';
import { startOrderStack, type OrderStack } from '../support/order-stack.js';

const CATALOGUE = [{ sku: 'KBD-001', name: 'Mechanical keyboard', unitPrice: 8900, currency: 'USD', stockAvailable: 100 }];
const quiet = createLogger({ name: 'api', level: 'silent', pretty: false });
// Short, so the first request's deadlines and the watch's looks take fractions of a second.
const FAST_SHEDDING = { dependencyWatch: { recheckMs: 200, probeTimeoutMs: 500 } };

interface Problem {
  type: string;
  status: number;
  orderId?: string;
}

interface Readiness {
  status: string;
  checks: { database: string; temporal: string };
}

describe('load shedding: a dependency that cannot be reached', () => {
  let stack: OrderStack;
  beforeAll(async () => {
    stack = await startOrderStack({ catalogue: CATALOGUE, startWorker: false });
  });
  afterAll(() => stack.stop());

  function appOver(parts: Pick<CreateAppOptions, 'db' | 'temporal'>) {
    return createApp({
      ...parts,
      taskQueue: stack.taskQueue,
      logger: quiet,
      tokens: stack.tokens,
      temporalDeadlines: { callMs: 500 },
      overload: FAST_SHEDDING,
    });
  }

  async function send<T>(app: ReturnType<typeof createApp>, method: string, path: string, body?: unknown) {
    const started = Date.now();
    const response = await app.request(path, {
      method,
      headers: { authorization: `Bearer ${stack.adminToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, headers: response.headers, body: (await response.json()) as T, elapsedMs: Date.now() - started };
  }

  const ordersOf = (customerId: string) => stack.database.sql<{ id: string }[]>`select id from orders where customer_id = ${customerId}`;

  describe('Temporal unreachable', () => {
    let deadTemporal: Client;
    let app: ReturnType<typeof createApp>;
    beforeAll(async () => {
      // A port nobody listens on: every call fails, after its deadline, as with a server that is down.
      deadTemporal = new Client({ connection: Connection.lazy({ address: `127.0.0.1:${await freePort()}` }) });
      app = appOver({ db: stack.database.db, temporal: deadTemporal });
    });
    afterAll(async () => {
      // Every call to it carries a deadline of a second at most, and retries until then: one last call
      // with a longer deadline outlasts them all, so closing the channel cannot cut a retry short.
      await deadTemporal.withDeadline(Date.now() + 2_000, () => deadTemporal.workflowService.getSystemInfo({})).catch(() => undefined);
      await deadTemporal.connection.close();
    });

    it('the first order finds out within its deadlines; from then on POST /orders is refused at once with 503 and nothing is written', async () => {
      const first = await send<Problem>(app, 'POST', '/orders', anOrderRequest({ customerId: 'cus_shed_temporal' }));
      expect(first.status).toBe(503);
      expect(first.body.type).toBe('https://orders.example/problems/temporal-unavailable');
      // The start's deadline and the describe's, on a loaded machine: no hang.
      expect(first.elapsedMs).toBeLessThan(5_000);
      // Whether that one started is unknown, so its row is kept and named, for the client to poll and the reconciler to settle.
      expect(first.body.orderId).toEqual(expect.any(String));
      expect(await ordersOf('cus_shed_temporal')).toEqual([{ id: first.body.orderId }]);

      const shed = await waitFor(
        'POST /orders to be refused before it writes',
        async () => {
          const answer = await send<Problem>(app, 'POST', '/orders', anOrderRequest({ customerId: 'cus_shed_temporal_next' }));
          return answer.body.orderId === undefined ? answer : undefined;
        },
        { timeoutMs: 15_000, intervalMs: 100 },
      );
      expect(shed.status).toBe(503);
      expect(shed.headers.get('content-type')).toBe('application/problem+json');
      expect(shed.body.type).toBe('https://orders.example/problems/temporal-unavailable');
      expect(Number(shed.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(shed.elapsedMs).toBeLessThan(500);
      // Only the requests that ran before the watch saw the outage kept a row; a refused one writes none.
      const keptBefore = (await ordersOf('cus_shed_temporal_next')).length;
      const again = await send<Problem>(app, 'POST', '/orders', anOrderRequest({ customerId: 'cus_shed_temporal_next' }));
      expect(again.status).toBe(503);
      expect(again.elapsedMs).toBeLessThan(500);
      expect(await ordersOf('cus_shed_temporal_next')).toHaveLength(keptBefore);

      const cancel = await send<Problem>(app, 'POST', `/orders/${first.body.orderId}/cancel`, {});
      expect(cancel.status).toBe(503);
      expect(cancel.elapsedMs).toBeLessThan(500);
    });

    it('/ready says Temporal is the one that is down, and reads from PostgreSQL still answer', async () => {
      const ready = await send<Readiness>(app, 'GET', '/ready');
      expect(ready.status).toBe(503);
      expect(ready.body.checks.database).toBe('ok');
      expect(['unreachable', 'timeout']).toContain(ready.body.checks.temporal);
      expect((await send(app, 'GET', '/orders?customerId=cus_shed_temporal')).status).toBe(200);
    });
  });

  describe('PostgreSQL unreachable', () => {
    let deadDatabase: DatabaseHandle;
    let app: ReturnType<typeof createApp>;
    beforeAll(async () => {
      deadDatabase = connectDatabase(`postgres://postgres:postgres@127.0.0.1:${await freePort()}/orders`, { poolSize: 2 });
      app = appOver({ db: deadDatabase.db, temporal: stack.temporal });
    });
    afterAll(() => deadDatabase.close());

    it('POST /orders, a read and a catalogue write answer 503 problem+json with Retry-After at once, not a 500', async () => {
      for (const [method, path, body] of [
        ['POST', '/orders', anOrderRequest({ customerId: 'cus_shed_database' })],
        ['GET', '/orders', undefined],
        ['GET', '/products', undefined],
        ['POST', '/products', { sku: 'SHED-001', name: 'Shed', unitPrice: 100, currency: 'USD', stockAvailable: 1 }],
      ] as const) {
        const answer = await send<Problem>(app, method, path, body);
        expect({ method, path, status: answer.status, type: answer.body.type }).toEqual({
          method,
          path,
          status: 503,
          type: 'https://orders.example/problems/database-unavailable',
        });
        expect(answer.headers.get('content-type')).toBe('application/problem+json');
        expect(Number(answer.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
        expect(answer.elapsedMs).toBeLessThan(2_000);
      }
      // Nothing reached Temporal either: intake starts a workflow only after its rows are committed.
      const started = await stack.temporal.workflow.count(`WorkflowType = 'orderWorkflow' AND CustomerId = 'cus_shed_database'`);
      expect(started.count).toBe(0);
    });

    it('/ready says PostgreSQL is the one that is down', async () => {
      const ready = await send<Readiness>(app, 'GET', '/ready');
      expect(ready.status).toBe(503);
      expect(ready.body.checks).toEqual({ database: 'unreachable', temporal: 'ok' });
    });
  });
});
