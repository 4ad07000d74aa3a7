import { randomUUID } from 'node:crypto';
import { WorkflowUpdateStage, type Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderWorkflowId } from '../../src/domain/order.js';
import { cancelOrderUpdate, ORDER_WORKFLOW_TYPE, orderStatusQuery, type OrderState, type OrderWorkflowInput } from '../../src/workflows/messages.js';
import { fastSagaTimings } from '../support/saga-timings.js';
import { businessFailure, failingTimes, gate, stubActivities, type StubActivities } from '../support/stub-activities.js';
import { connectTestClient, startTestWorker, uniqueTaskQueue } from '../support/temporal.js';

/**
 * The stubs answer at once, so the two windows that scenarios here wait out on purpose can be
 * shorter than the stack's: the payment deadline and the notification window.
 */
const TIMINGS = fastSagaTimings({ paymentDeadlineMs: 1_500, notificationWindowMs: 2_500 });

/**
 * A local activity holds its workflow task open, and an Update waits for the next task: core
 * heartbeats the task at 80% of its timeout, so a 2 s task timeout lets a cancel in mid local
 * activity within 1.6 s, while a local budget longer than the test keeps the step local.
 */
const HELD_OPEN: Partial<OrderWorkflowInput> = { timings: { ...TIMINGS, localAttemptsBudgetMs: 60_000 } };
const SHORT_TASKS = { workflowTaskTimeout: '2s' };

function anOrder(overrides: Partial<OrderWorkflowInput> = {}): OrderWorkflowInput {
  return {
    orderId: randomUUID(),
    customerId: 'cus_workflow_test',
    lines: [
      { sku: 'KBD-001', quantity: 1, unitPrice: 8900 },
      { sku: 'MSE-001', quantity: 2, unitPrice: 2900 },
    ],
    total: { amount: 14700, currency: 'USD' },
    paymentToken: 'tok_visa',
    timings: TIMINGS,
    ...overrides,
  };
}

describe('order workflow on the real dev server, with stubbed activities', () => {
  let client: Client;
  beforeAll(async () => {
    client = await connectTestClient();
  });
  afterAll(() => client.connection.close());

  async function run(
    stubs: StubActivities,
    input = anOrder(),
    during?: (workflowId: string) => Promise<void>,
    after?: (workflowId: string) => Promise<void>,
    startOptions: { workflowTaskTimeout?: string } = {},
  ): Promise<OrderState> {
    const taskQueue = uniqueTaskQueue('wf');
    const worker = await startTestWorker(taskQueue, stubs.activities);
    try {
      const handle = await client.workflow.start(ORDER_WORKFLOW_TYPE, { taskQueue, workflowId: orderWorkflowId(input.orderId), args: [input], ...startOptions });
      await during?.(handle.workflowId);
      const result = (await handle.result()) as OrderState;
      await after?.(handle.workflowId);
      return result;
    } finally {
      await worker.stop();
    }
  }

  it('completes an order: reserve, screen for fraud, charge, confirm, notify, in that order', async () => {
    const stubs = stubActivities();
    const input = anOrder();
    let queried: OrderState | undefined;
    const result = await run(stubs, input, undefined, async (workflowId) => {
      queried = await client.workflow.getHandle(workflowId).query(orderStatusQuery);
    });
    expect(result).toMatchObject({ orderId: input.orderId, status: 'COMPLETED', failureReason: null, paymentId: 'ch_stub' });
    expect(stubs.calls).toEqual(['reserveStock', 'screenForFraud', 'chargePayment', 'confirmOrder', 'notifyCustomer:ORDER_CONFIRMED']);
    expect(queried).toEqual(result);
  });

  it('fails an order that is out of stock without charging, and still releases: a stalled earlier attempt may commit later', async () => {
    const stubs = stubActivities({ reserveStock: businessFailure('OutOfStock', 'Not enough stock for KBD-001') });
    const result = await run(stubs);
    expect(result).toMatchObject({ status: 'FAILED', failureReason: 'OUT_OF_STOCK' });
    expect(stubs.calls).toEqual(['reserveStock', 'releaseStock', 'recordOrderOutcome:FAILED', 'notifyCustomer:ORDER_FAILED']);
  });

  it('releases the stock when the card is declined, and still refunds: a decline on a retry can follow a lost success', async () => {
    const stubs = stubActivities({ chargePayment: businessFailure('PaymentDeclined', 'Payment declined: card_declined') });
    const result = await run(stubs);
    expect(result).toMatchObject({ status: 'FAILED', failureReason: 'PAYMENT_DECLINED' });
    expect(stubs.calls).toEqual([
      'reserveStock',
      'screenForFraud',
      'chargePayment',
      'releaseStock',
      'recordOrderOutcome:FAILED',
      'refundPayment',
      'notifyCustomer:ORDER_FAILED',
    ]);
  });

  it('retries transient gateway failures and then completes', async () => {
    const stubs = stubActivities({ chargePayment: failingTimes(2, async () => ({ chargeId: 'ch_third_time' })) });
    // The server fires retry timers with up to about a second of slack, so give the deadline room.
    const result = await run(stubs, anOrder({ timings: { ...TIMINGS, paymentDeadlineMs: 15_000 } }));
    expect(result).toMatchObject({ status: 'COMPLETED', paymentId: 'ch_third_time' });
    expect(stubs.attempts('chargePayment')).toBe(3);
  });

  it('fails with PAYMENT_UNAVAILABLE when the payment deadline passes: releases, records the outcome, then refunds', async () => {
    const stubs = stubActivities({
      chargePayment: async () => {
        throw new Error('gateway answered 503');
      },
    });
    // Room for a retry inside the deadline: the server fires retry timers with up to about a second of slack.
    const result = await run(stubs, anOrder({ timings: { ...TIMINGS, paymentDeadlineMs: 4_000 } }));
    expect(result).toMatchObject({ status: 'FAILED', failureReason: 'PAYMENT_UNAVAILABLE' });
    expect(stubs.attempts('chargePayment')).toBeGreaterThan(1);
    // The charge may have landed on a timed-out attempt, so the refund is due; the stock does not wait for it.
    expect(stubs.calls.slice(-4)).toEqual(['releaseStock', 'recordOrderOutcome:FAILED', 'refundPayment', 'notifyCustomer:ORDER_FAILED']);
  });

  it('does not hold stock or status while the refund waits on a gateway that is down, and says the refund is pending', async () => {
    const refunding = gate();
    const outcomes: unknown[] = [];
    const stubs = stubActivities({
      chargePayment: async () => {
        throw new Error('gateway answered 503');
      },
      recordOrderOutcome: async (input) => void outcomes.push(input),
      refundPayment: () => refunding.pass().then(() => ({ id: 're_late', status: 'succeeded' as const, amount: 14700 })),
    });
    let whileRefunding: OrderState | undefined;
    const result = await run(stubs, anOrder(), async (workflowId) => {
      await refunding.reached;
      whileRefunding = await client.workflow.getHandle(workflowId).query(orderStatusQuery);
      refunding.open();
    });
    expect(whileRefunding).toMatchObject({ status: 'FAILED', failureReason: 'PAYMENT_UNAVAILABLE' });
    expect(outcomes).toEqual([expect.objectContaining({ status: 'FAILED', reason: 'PAYMENT_UNAVAILABLE', refundPending: true })]);
    expect(stubs.calls.indexOf('releaseStock')).toBeLessThan(stubs.calls.indexOf('refundPayment'));
    expect(result.status).toBe('FAILED');
  });

  it('cancels while reserving, mid local activity: the release registered before the step runs, and nothing is charged', async () => {
    const reserving = gate();
    const stubs = stubActivities({ reserveStock: () => reserving.pass() });
    let cancelResult: Promise<OrderState> | undefined;
    const result = await run(
      stubs,
      anOrder(HELD_OPEN),
      async (workflowId) => {
        await reserving.reached;
        const update = await client.workflow
          .getHandle(workflowId)
          .startUpdate(cancelOrderUpdate, { args: [{ reason: 'changed my mind' }], waitForStage: WorkflowUpdateStage.ACCEPTED });
        cancelResult = update.result();
        reserving.open();
      },
      undefined,
      SHORT_TASKS,
    );
    expect(result).toMatchObject({ status: 'CANCELLED', failureReason: null, failureDetail: 'changed my mind' });
    expect(await cancelResult).toMatchObject({ status: 'CANCELLED' });
    // An Update that lands mid local activity can make the worker drop the run from its cache and
    // replay it, which starts the unrecorded local activity again: the reservation is idempotent,
    // and the release closes its lines against a late one.
    expect(stubs.calls.filter((c) => c !== 'reserveStock')).toEqual(['releaseStock', 'recordOrderOutcome:CANCELLED', 'notifyCustomer:ORDER_CANCELLED']);
    expect(stubs.calls[0]).toBe('reserveStock');
    expect(stubs.calls.lastIndexOf('reserveStock')).toBeLessThan(stubs.calls.indexOf('releaseStock'));
  });

  it('retries a compensation that fails transiently until it succeeds', async () => {
    const stubs = stubActivities({
      chargePayment: businessFailure('PaymentDeclined', 'Payment declined: insufficient_funds'),
      releaseStock: failingTimes(2, async () => ({ releasedLines: 2 }), 'database connection reset'),
    });
    const result = await run(stubs);
    expect(result).toMatchObject({ status: 'FAILED', failureReason: 'PAYMENT_DECLINED' });
    expect(stubs.attempts('releaseStock')).toBe(3);
    expect(stubs.calls.slice(-3)).toEqual(['recordOrderOutcome:FAILED', 'refundPayment', 'notifyCustomer:ORDER_FAILED']);
  });

  it('completes the order even when every notification attempt fails', async () => {
    const stubs = stubActivities({
      notifyCustomer: async () => {
        throw new Error('webhook answered 500');
      },
    });
    const result = await run(stubs);
    expect(result.status).toBe('COMPLETED');
    expect(stubs.attempts('notifyCustomer')).toBeGreaterThan(1);
    expect(stubs.calls).not.toContain('releaseStock');
    expect(stubs.calls).not.toContain('refundPayment');
  });

  it('refuses a cancel once the order is being confirmed', async () => {
    const confirming = gate();
    const stubs = stubActivities({ confirmOrder: () => confirming.pass() });
    let refusal: unknown;
    const result = await run(
      stubs,
      anOrder(HELD_OPEN),
      async (workflowId) => {
        await confirming.reached;
        refusal = await client.workflow
          .getHandle(workflowId)
          .executeUpdate(cancelOrderUpdate, { args: [{}] })
          .catch((error: unknown) => error);
        confirming.open();
      },
      undefined,
      SHORT_TASKS,
    );
    expect(result.status).toBe('COMPLETED');
    expect(stubs.attempts('confirmOrder')).toBe(1);
    expect(String((refusal as { cause?: Error }).cause?.message)).toMatch(/can no longer be cancelled/);
    expect(stubs.calls).not.toContain('refundPayment');
  });

  it('compensates the same way when an operator cancels the workflow itself', async () => {
    const charging = gate();
    const stubs = stubActivities({ chargePayment: () => charging.pass().then(() => ({ chargeId: 'ch_late' })) });
    const result = await run(stubs, anOrder(), async (workflowId) => {
      await charging.reached;
      await client.workflow.getHandle(workflowId).cancel();
      charging.open();
    });
    expect(result).toMatchObject({ status: 'CANCELLED', failureReason: null });
    expect(stubs.calls.slice(-4)).toEqual(['releaseStock', 'recordOrderOutcome:CANCELLED', 'refundPayment', 'notifyCustomer:ORDER_CANCELLED']);
  });
});
