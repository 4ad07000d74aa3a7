import { randomUUID } from 'node:crypto';
import { activityInfo } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderWorkflowId } from '../../src/domain/order.js';
import { ORDER_WORKFLOW_TYPE, type OrderState, type OrderWorkflowInput } from '../../src/workflows/messages.js';
import { LOCAL_ATTEMPTS } from '../../src/workflows/activity-options.js';
import { LEAN_SAGA_PATCH } from '../../src/workflows/order-workflow.js';
import { localActivities, recordedMarkers, scheduledActivities, type HistoryFile } from '../replay/history-files.js';
import { historyToJson } from '../replay/history-json.js';
import { fastSagaTimings } from '../support/saga-timings.js';
import { businessFailure, stubActivities, type StubActivities } from '../support/stub-activities.js';
import { connectTestClient, startTestWorker, uniqueTaskQueue } from '../support/temporal.js';

/** The engine floor's count: a no-op workflow with four activities (bench/). */
const FLOOR_EVENTS = 29;

function anOrder(overrides: Partial<OrderWorkflowInput> = {}): OrderWorkflowInput {
  return {
    orderId: randomUUID(),
    customerId: 'cus_lean_test',
    lines: [{ sku: 'KBD-001', quantity: 1, unitPrice: 8900 }],
    total: { amount: 8900, currency: 'USD' },
    paymentToken: 'tok_visa',
    timings: fastSagaTimings(),
    ...overrides,
  };
}

/** The statuses the workflow wrote to the OrderStatus search attribute, in order. */
function publishedStatuses({ json }: HistoryFile): string[] {
  const events = json.events as { upsertWorkflowSearchAttributesEventAttributes?: { searchAttributes?: { indexedFields?: Record<string, { data?: string }> } } }[];
  return events.flatMap((e) => {
    const field = e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields?.OrderStatus;
    return field?.data ? [JSON.parse(Buffer.from(field.data, 'base64').toString('utf8')) as string] : [];
  });
}

describe('the lean saga (LEAN_SAGA_PATCH) on the real dev server, with stubbed activities', () => {
  let client: Client;
  beforeAll(async () => {
    client = await connectTestClient();
  });
  afterAll(() => client.connection.close());

  async function run(stubs: StubActivities, input = anOrder(), patches?: (input: { patchId: string }) => boolean): Promise<{ result: OrderState; history: HistoryFile }> {
    const taskQueue = uniqueTaskQueue('lean');
    const worker = await startTestWorker(taskQueue, stubs.activities, patches ? { patchActivationCallback: patches } : {});
    try {
      const handle = await client.workflow.start(ORDER_WORKFLOW_TYPE, { taskQueue, workflowId: orderWorkflowId(input.orderId), args: [input] });
      const result = (await handle.result()) as OrderState;
      const json = JSON.parse(historyToJson(await handle.fetchHistory())) as HistoryFile['json'];
      return { result, history: { file: handle.workflowId, json } };
    } finally {
      await worker.stop();
    }
  }

  it('completes a happy order in no more events than the engine floor: database steps local, one patch marker, two status writes', async () => {
    const stubs = stubActivities();
    const { result, history } = await run(stubs);
    expect(result).toMatchObject({ status: 'COMPLETED', paymentId: 'ch_stub' });
    expect(stubs.calls).toEqual(['reserveStock', 'screenForFraud', 'chargePayment', 'confirmOrder', 'notifyCustomer:ORDER_CONFIRMED']);
    expect(history.json.events.length).toBeLessThanOrEqual(FLOOR_EVENTS);
    expect(localActivities(history)).toEqual(['reserveStock', 'screenForFraud', 'confirmOrder']);
    expect(scheduledActivities(history)).toEqual(['chargePayment', 'notifyCustomer']);
    // The lean patch's marker only: the fraud screen's and the compensation patch's are not recorded.
    expect(recordedMarkers(history).filter((m) => m === 'core_patch')).toHaveLength(1);
    // PAID lasts only from the charge's result to the local confirm, in one workflow task: never written.
    expect(publishedStatuses(history)).toEqual(['RESERVED', 'COMPLETED']);
  });

  it('fails an order refused by the fraud screen without charging it, and releases its stock, all locally', async () => {
    const stubs = stubActivities({ screenForFraud: businessFailure('FraudSuspected', 'above the review limit') });
    const { result, history } = await run(stubs);
    expect(result).toMatchObject({ status: 'FAILED', failureReason: 'FRAUD_SUSPECTED' });
    expect(stubs.calls).toEqual(['reserveStock', 'screenForFraud', 'releaseStock', 'recordOrderOutcome:FAILED', 'notifyCustomer:ORDER_FAILED']);
    expect(scheduledActivities(history)).toEqual(['notifyCustomer']);
    expect(publishedStatuses(history)).toEqual(['FAILED']);
  });

  it('runs a step as its durable activity once its local attempts have all failed, and the order completes', async () => {
    const stubs = stubActivities({
      reserveStock: async () => {
        if (activityInfo().isLocal) throw new Error('database connection reset');
      },
    });
    const { result, history } = await run(stubs, anOrder({ timings: fastSagaTimings({ localAttemptsBudgetMs: 800 }) }));
    expect(result.status).toBe('COMPLETED');
    expect(stubs.attempts('reserveStock')).toBe(LOCAL_ATTEMPTS + 1);
    expect(scheduledActivities(history)).toEqual(['reserveStock', 'chargePayment', 'notifyCustomer']);
  });

  it('fails a step on a business failure from its local attempt without running it again as a durable activity', async () => {
    const stubs = stubActivities({ reserveStock: businessFailure('OutOfStock', 'Not enough stock for KBD-001') });
    const { result, history } = await run(stubs);
    expect(result).toMatchObject({ status: 'FAILED', failureReason: 'OUT_OF_STOCK' });
    expect(stubs.attempts('reserveStock')).toBe(1);
    expect(localActivities(history)).toEqual(['reserveStock', 'releaseStock', 'recordOrderOutcome']);
  });

  it('still runs the durable saga on a worker that has not activated the lean patch (the orders in flight at the deploy)', async () => {
    const stubs = stubActivities();
    const { result, history } = await run(stubs, anOrder(), ({ patchId }) => patchId !== LEAN_SAGA_PATCH);
    expect(result.status).toBe('COMPLETED');
    expect(localActivities(history)).toEqual([]);
    expect(scheduledActivities(history)).toEqual(['reserveStock', 'screenForFraud', 'chargePayment', 'confirmOrder', 'notifyCustomer']);
    expect(publishedStatuses(history)).toEqual(['RESERVED', 'PAID', 'COMPLETED']);
  });
});
