import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../devstack/free-port.js';
import { createApp } from '../../src/api/app.js';
import type { OrderSummary, TimelineEntry } from '../../src/api/orders/index.js';
import { connectDatabase } from '../../src/db/client.js';
import { orderWorkflowId } from '../../src/domain/order.js';
import { createLogger, type Logger } from '../../src/platform/logger.js';
import { anOrderRequest, call, waitForOrderStatus } from '../support/api-client.js';
import { startOrderStack, type OrderStack } from '../support/order-stack.js';
import { isRetrying, waitForPendingActivity } from '../support/pending-activities.js';
import { connectTestClient } from '../support/temporal.js';

const CATALOGUE = [{ sku: 'KBD-001', name: 'Mechanical keyboard', unitPrice: 8900, currency: 'USD', stockAvailable: 10 }];

/** A JSON logger whose lines the test can read. */
function capturedLogger(): { logger: Logger; lines: () => Record<string, unknown>[] } {
  const raw: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      raw.push(String(chunk));
      done();
    },
  });
  return { logger: createLogger({ name: 'api', level: 'info', pretty: false, destination }), lines: () => raw.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('GET /ready says what it saw, not what the driver said', () => {
  it('with PostgreSQL at a closed port: "unreachable", and the driver’s error only in the log', async () => {
    const closedPort = await freePort();
    const database = connectDatabase(`postgres://orders:s3cret-password@127.0.0.1:${closedPort}/orders`, { poolSize: 1 });
    const temporal = await connectTestClient();
    const { logger, lines } = capturedLogger();
    try {
      const app = createApp({ db: database.db, temporal, taskQueue: 'unused', logger, tokens: [] });
      const response = await app.request('/ready');
      const text = await response.text();
      expect(response.status).toBe(503);
      expect(JSON.parse(text)).toEqual({ status: 'unavailable', checks: { database: 'unreachable', temporal: 'ok' } });
      expect(text).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|s3cret|orders@/);
      expect(lines().find((l) => l.msg === 'Readiness check failed')).toMatchObject({
        check: 'database',
        result: 'unreachable',
        err: { message: expect.stringMatching(/ECONNREFUSED/) },
      });
    } finally {
      await temporal.connection.close();
      await database.close();
    }
  });
});

describe('GET /orders/:id/history shows no SQL', () => {
  let stack: OrderStack;
  const log = capturedLogger();
  beforeAll(async () => {
    stack = await startOrderStack({ catalogue: CATALOGUE, logger: log.logger });
  });
  afterAll(() => stack.stop());

  it('an attempt that failed with a query error shows its type and a fixed message; the query is in the log', async () => {
    // Every reservation query now fails in PostgreSQL, with the statement and its parameters in the error.
    await stack.database.sql`alter table reservations rename to reservations_moved_away`;
    let orderId: string;
    try {
      orderId = (await call<OrderSummary>(stack.apiUrl, 'POST', '/orders', anOrderRequest({ customerId: 'cus_sql_failure' }))).body.id;
      await waitForPendingActivity(stack.temporal.workflow.getHandle(orderWorkflowId(orderId)), 'reserveStock', isRetrying);
    } finally {
      await stack.database.sql`alter table reservations_moved_away rename to reservations`;
    }
    await waitForOrderStatus(stack.apiUrl, orderId, ['COMPLETED']);

    const response = await call<{ entries: TimelineEntry[] }>(stack.apiUrl, 'GET', `/orders/${orderId}/history`);
    const failed = response.body.entries.filter((e) => e.step === 'reserveStock' && e.outcome === 'failed' && e.failure !== null);
    expect(failed.length).toBeGreaterThan(0);
    for (const entry of failed) expect(entry).toMatchObject({ failure: 'the step failed unexpectedly; its detail is in the logs', failureType: expect.any(String) });
    expect(JSON.stringify(response.body)).not.toMatch(/insert into|select |Failed query|params|reservations/i);
    const withheld = log.lines().find((l) => l.msg === 'Order timeline withheld a failure message');
    expect(withheld).toMatchObject({ orderId, step: 'reserveStock', failure: expect.stringMatching(/reservations/) });
  });

  it('a business failure keeps its own message', async () => {
    const { body } = await call<OrderSummary>(stack.apiUrl, 'POST', '/orders', anOrderRequest({ customerId: 'cus_declined', paymentToken: 'tok_chargeDeclined' }));
    await waitForOrderStatus(stack.apiUrl, body.id, ['FAILED']);
    const { body: history } = await call<{ entries: TimelineEntry[] }>(stack.apiUrl, 'GET', `/orders/${body.id}/history`);
    expect(history.entries.find((e) => e.step === 'chargePayment')).toMatchObject({ failureType: 'PaymentDeclined', failure: expect.stringMatching(/declined/) });
  });
});
