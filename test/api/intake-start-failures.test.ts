import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/app.js';
import type { OrderSummary } from '../../src/api/orders/index.js';
import { orderWorkflowId } from '../../src/domain/order.js';
import { createLogger } from '../../src/platform/logger.js';
import { anOrderRequest, call, waitForOrderStatus } from '../support/api-client.js';
import { startOrderStack, type OrderStack } from '../support/order-stack.js';
import { connectTestClient } from '../support/temporal.js';

const CATALOGUE = [{ sku: 'KBD-001', name: 'Mechanical keyboard', unitPrice: 8900, currency: 'USD', stockAvailable: 100 }];
const quiet = createLogger({ name: 'api', level: 'silent', pretty: false });

interface KeptOrderProblem {
  type: string;
  status: number;
  orderId?: string;
}

describe('POST /orders when the workflow start throws, or no worker answers', () => {
  let stack: OrderStack;
  beforeAll(async () => {
    // No worker: every Update waits for one that is not there.
    stack = await startOrderStack({ catalogue: CATALOGUE, startWorker: false });
  });
  afterAll(() => stack.stop());

  const ordersOf = (customerId: string) => stack.database.sql<{ id: string; status: string }[]>`select id, status from orders where customer_id = ${customerId}`;
  const postOrder = (app: ReturnType<typeof createApp>, customerId: string, headers: Record<string, string> = {}) =>
    app.request('/orders', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${stack.adminToken}`, ...headers },
      body: JSON.stringify(anOrderRequest({ customerId })),
    });

  it('Prefer: wait=1 with no worker: 202 within about a second, the row kept and its workflow started; a worker then completes it', async () => {
    const started = Date.now();
    const response = await call<OrderSummary>(stack.apiUrl, 'POST', '/orders', anOrderRequest({ customerId: 'cus_wait_no_worker' }), { prefer: 'wait=1' });
    const elapsed = Date.now() - started;
    expect(response.status).toBe(202);
    expect(response.body.status).toBe('PENDING');
    expect(response.headers.get('location')).toBe(`/orders/${response.body.id}`);
    // One second of wait, the one-second margin, and a describe on a loaded machine.
    expect(elapsed).toBeLessThan(4_500);
    expect(await ordersOf('cus_wait_no_worker')).toEqual([{ id: response.body.id, status: 'PENDING' }]);
    const description = await stack.temporal.workflow.getHandle(orderWorkflowId(response.body.id)).describe();
    expect(description.status.name).toBe('RUNNING');

    await stack.startWorker();
    try {
      await waitForOrderStatus(stack.apiUrl, response.body.id, ['COMPLETED']);
    } finally {
      await stack.stopWorker();
    }
  });

  it('a start that certainly did not happen (refused before it was sent), without a key: 503, and the row is removed with its order.created', async () => {
    // An empty task queue fails the client's own check: no request reaches the server.
    const app = createApp({ db: stack.database.db, temporal: stack.temporal, taskQueue: '', logger: quiet, tokens: stack.tokens });
    const response = await postOrder(app, 'cus_refused_start');
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('1');
    expect(await ordersOf('cus_refused_start')).toEqual([]);
    // An event for an order that does not exist would reach every webhook endpoint.
    expect(await stack.database.sql`select id from order_events where customer_id = 'cus_refused_start'`).toEqual([]);
  });

  it('a start that certainly did not happen, with a key: 503 naming the kept order, and the retry starts it', async () => {
    const refusing = createApp({ db: stack.database.db, temporal: stack.temporal, taskQueue: '', logger: quiet, tokens: stack.tokens });
    const headers = { 'idempotency-key': 'start-refused-once' };
    const first = await postOrder(refusing, 'cus_refused_keyed', headers);
    const problem = (await first.json()) as KeptOrderProblem;
    expect(first.status).toBe(503);
    expect(problem.orderId).toEqual(expect.any(String));
    expect(first.headers.get('location')).toBe(`/orders/${problem.orderId}`);
    expect(await ordersOf('cus_refused_keyed')).toEqual([{ id: problem.orderId, status: 'PENDING' }]);

    const retry = await call<OrderSummary>(stack.apiUrl, 'POST', '/orders', anOrderRequest({ customerId: 'cus_refused_keyed' }), headers);
    expect(retry).toMatchObject({ status: 202, body: { id: problem.orderId } });
    await stack.temporal.workflow.getHandle(orderWorkflowId(problem.orderId!)).describe();
  });

  it('a start whose fate is unknown (Temporal unreachable): 503 naming the order in its body and Location, and the row stays PENDING', async () => {
    const unreachable = await connectTestClient();
    await unreachable.connection.close();
    const app = createApp({ db: stack.database.db, temporal: unreachable, taskQueue: stack.taskQueue, logger: quiet, tokens: stack.tokens });
    const response = await postOrder(app, 'cus_unknown_start');
    const problem = (await response.json()) as KeptOrderProblem;
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('1');
    expect(problem).toMatchObject({ type: 'https://orders.example/problems/temporal-unavailable', orderId: expect.any(String) });
    expect(response.headers.get('location')).toBe(`/orders/${problem.orderId}`);
    expect(await ordersOf('cus_unknown_start')).toEqual([{ id: problem.orderId, status: 'PENDING' }]);
  });
});
