import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/app.js';
import type { OrderSummary } from '../../src/api/orders/index.js';
import { orderWorkflowId } from '../../src/domain/order.js';
import { TEST_TOKENS } from '../../src/payments/contract.js';
import { createLogger } from '../../src/platform/logger.js';
import { runPendingOrderReconciler, type PendingOrderReconcilerDeps } from '../../src/worker/pending-order-reconciler.js';
import { anOrderRequest, call, waitForOrderStatus } from '../support/api-client.js';
import { startOrderStack, type OrderStack } from '../support/order-stack.js';
import { fastSagaTimings } from '../support/saga-timings.js';
import { connectTestClient } from '../support/temporal.js';

const CATALOGUE = [{ sku: 'KBD-001', name: 'Mechanical keyboard', unitPrice: 8900, currency: 'USD', stockAvailable: 100 }];
const quiet = createLogger({ name: 'reconciler', level: 'silent', pretty: false });

describe('the reconciler settles PENDING orders that have no workflow', () => {
  let stack: OrderStack;
  let deps: PendingOrderReconcilerDeps;
  beforeAll(async () => {
    stack = await startOrderStack({ catalogue: CATALOGUE });
    deps = {
      db: stack.database.db,
      temporal: stack.temporal,
      taskQueue: stack.taskQueue,
      logger: quiet,
      olderThanMs: 2 * 60_000,
      maxAgeMs: 24 * 60 * 60_000,
      sagaTimings: fastSagaTimings(),
    };
  });
  afterAll(() => stack.stop());

  /** A PENDING row as an API that crashed right after committing it leaves behind. */
  async function anOrphanRow({ customerId, paymentToken, ageMinutes }: { customerId: string; paymentToken: string | null; ageMinutes: number }): Promise<string> {
    const id = randomUUID();
    await stack.database.sql`insert into orders (id, customer_id, status, total_amount, currency, payment_token, created_at, updated_at)
      values (${id}, ${customerId}, 'PENDING', 8900, 'USD', ${paymentToken}, now() - make_interval(mins => ${ageMinutes}), now())`;
    await stack.database.sql`insert into order_items (order_id, sku, quantity, unit_price) values (${id}, 'KBD-001', 1, 8900)`;
    return id;
  }

  /** Runs the worker's loop until `done` holds, then stops it. */
  async function withReconcilerRunning<T>(done: () => Promise<T>): Promise<T> {
    const reconciler = runPendingOrderReconciler({ ...deps, intervalMs: 100 });
    try {
      return await done();
    } finally {
      await reconciler.stop();
    }
  }

  it('starts an orphan older than the bound: its workflow runs and it completes; a young one is left alone', async () => {
    const orphan = await anOrphanRow({ customerId: 'cus_orphan', paymentToken: TEST_TOKENS.visa, ageMinutes: 10 });
    const young = await anOrphanRow({ customerId: 'cus_young', paymentToken: TEST_TOKENS.visa, ageMinutes: 0 });
    const completed = await withReconcilerRunning(() => waitForOrderStatus(stack.apiUrl, orphan, ['COMPLETED']));
    expect(completed.status).toBe('COMPLETED');
    expect((await stack.temporal.workflow.getHandle(orderWorkflowId(orphan)).describe()).type).toBe('orderWorkflow');
    expect((await stack.gateway.listCharges(orphan)).map((c) => [c.amount, c.status])).toEqual([[8900, 'succeeded']]);
    expect((await call<OrderSummary>(stack.apiUrl, 'GET', `/orders/${young}`)).body.status).toBe('PENDING');
    await expect(stack.temporal.workflow.getHandle(orderWorkflowId(young)).describe()).rejects.toThrow();
  });

  it('fails an orphan with no payment token kept, with a reason, instead of leaving it PENDING', async () => {
    const orphan = await anOrphanRow({ customerId: 'cus_orphan_no_token', paymentToken: null, ageMinutes: 10 });
    const failed = await withReconcilerRunning(() => waitForOrderStatus(stack.apiUrl, orphan, ['FAILED']));
    expect(failed.failureReason).toBe('INVALID_ORDER');
    const [row] = await stack.database.sql<{ failure_detail: string }[]>`select failure_detail from orders where id = ${orphan}`;
    expect(row!.failure_detail).toMatch(/never started/);
  });

  it('fails an orphan older than the maximum age instead of charging it now, and starts no workflow', async () => {
    const orphan = await anOrphanRow({ customerId: 'cus_orphan_old', paymentToken: TEST_TOKENS.visa, ageMinutes: 25 * 60 });
    const failed = await withReconcilerRunning(() => waitForOrderStatus(stack.apiUrl, orphan, ['FAILED']));
    expect(failed.failureReason).toBe('INVALID_ORDER');
    const [row] = await stack.database.sql<{ failure_detail: string }[]>`select failure_detail from orders where id = ${orphan}`;
    expect(row!.failure_detail).toMatch(/too old to charge/);
    const events = await stack.database.sql<{ type: string; data: { reason: string } }[]>`select type, data from order_events where order_id = ${orphan}`;
    expect(events.map((e) => [e.type, e.data.reason])).toEqual([['order.failed', 'INVALID_ORDER']]);
    await expect(stack.temporal.workflow.getHandle(orderWorkflowId(orphan)).describe()).rejects.toThrow();
    expect(await stack.gateway.listCharges(orphan)).toEqual([]);
  });

  it('a pass goes on past a batch of PENDING orders that have workflows, so an orphan behind them is reached', async () => {
    // Two PENDING orders whose workflows wait on a queue no worker polls (a worker down for a while), then an orphan.
    const waiting = [
      await anOrphanRow({ customerId: 'cus_waiting', paymentToken: TEST_TOKENS.visa, ageMinutes: 40 }),
      await anOrphanRow({ customerId: 'cus_waiting', paymentToken: TEST_TOKENS.visa, ageMinutes: 39 }),
    ];
    for (const id of waiting) await stack.temporal.workflow.start('orderWorkflow', { workflowId: orderWorkflowId(id), taskQueue: `nobody-polls-${id}`, args: [] });
    const orphan = await anOrphanRow({ customerId: 'cus_behind', paymentToken: TEST_TOKENS.visa, ageMinutes: 38 });
    const reconciler = runPendingOrderReconciler({ ...deps, batchSize: 2, intervalMs: 100 });
    try {
      expect((await waitForOrderStatus(stack.apiUrl, orphan, ['COMPLETED'])).status).toBe('COMPLETED');
    } finally {
      await reconciler.stop();
      for (const id of waiting) await stack.temporal.workflow.getHandle(orderWorkflowId(id)).terminate('test over');
    }
  });

  it('an order the intake kept after a start of unknown fate (Temporal unreachable) is started once it is old enough, with the token the intake stored', async () => {
    const unreachable = await connectTestClient();
    await unreachable.connection.close();
    const app = createApp({ db: stack.database.db, temporal: unreachable, taskQueue: stack.taskQueue, logger: quiet, tokens: stack.tokens });
    const response = await app.request('/orders', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${stack.adminToken}` },
      body: JSON.stringify(anOrderRequest({ customerId: 'cus_lost_start', paymentToken: TEST_TOKENS.visa })),
    });
    const { orderId } = (await response.json()) as { orderId: string };
    expect(response.status).toBe(503);
    await stack.database.sql`update orders set created_at = now() - interval '10 minutes' where id = ${orderId}`;
    await withReconcilerRunning(() => waitForOrderStatus(stack.apiUrl, orderId, ['COMPLETED']));
    expect(await stack.gateway.listCharges(orderId)).toHaveLength(1);
  });
});
