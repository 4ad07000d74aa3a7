import type { WorkflowHandle } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { OrderSummary } from '../../src/api/orders/index.js';
import { orderWorkflowId } from '../../src/domain/order.js';
import type { OrderState } from '../../src/workflows/messages.js';
import { anOrderRequest, call, stockOf, waitForOrderStatus } from '../support/api-client.js';
import { startOrderStack, type OrderStack } from '../support/order-stack.js';
import { localActivities, readHistoryFile, recordedMarkers, scheduledActivities, type HistoryFile } from '../replay/history-files.js';
import { historyToJson } from '../replay/history-json.js';
import { isRetrying, waitForPendingActivity } from '../support/pending-activities.js';
import { replayFailures, replayHistoryFiles } from '../replay/replay-histories.js';

/** 1,000.00: a dozen keyboards (1,068.00) is above it, one keyboard (89.00) is well below. */
const REVIEW_LIMIT = 100_000;
const CATALOGUE = [{ sku: 'KBD-001', name: 'Mechanical keyboard', unitPrice: 8900, currency: 'USD', stockAvailable: 100 }];
const aDozenKeyboards = () => anOrderRequest({ customerId: 'cus_big_spender', items: [{ sku: 'KBD-001', quantity: 12 }] });
const oneKeyboard = () => anOrderRequest({ items: [{ sku: 'KBD-001', quantity: 1 }] });

const PATCH_MARKER = 'core_patch';
const patchMarkers = (history: HistoryFile) => recordedMarkers(history).filter((m) => m === PATCH_MARKER);

describe('the fraud screen before the charge, on the real dev server', () => {
  let stack: OrderStack;
  beforeAll(async () => {
    stack = await startOrderStack({ catalogue: CATALOGUE, fraudReviewLimit: REVIEW_LIMIT });
  });
  afterAll(() => stack.stop());

  const handleOf = (orderId: string): WorkflowHandle => stack.temporal.workflow.getHandle(orderWorkflowId(orderId));

  async function placeOrder(request: ReturnType<typeof anOrderRequest>): Promise<string> {
    const accepted = await call<OrderSummary>(stack.apiUrl, 'POST', '/orders', request);
    expect(accepted.status).toBe(202);
    return accepted.body.id;
  }

  /** The order's history as it would be committed, to read which steps it ran. */
  async function historyOf(orderId: string): Promise<HistoryFile> {
    const handle = handleOf(orderId);
    await handle.result();
    return { file: orderWorkflowId(orderId), json: JSON.parse(historyToJson(await handle.fetchHistory())) as HistoryFile['json'] };
  }

  describe('with the screen: an order started since the change', () => {
    it('fails a dozen keyboards, above the 1,000.00 review limit, with FRAUD_SUSPECTED: the stock comes back and no card is charged', async () => {
      const before = await stockOf(stack.apiUrl, 'KBD-001');
      const orderId = await placeOrder(aDozenKeyboards());

      const failed = await waitForOrderStatus(stack.apiUrl, orderId, ['COMPLETED', 'FAILED', 'CANCELLED']);

      expect(failed).toMatchObject({ status: 'FAILED', failureReason: 'FRAUD_SUSPECTED' });
      expect(await stockOf(stack.apiUrl, 'KBD-001')).toBe(before);
      expect(await stack.gateway.listCharges(orderId)).toEqual([]);
      const history = await historyOf(orderId);
      // One patch, the lean saga's, which screens and compensates always without the older patches' markers.
      expect(patchMarkers(history)).toEqual([PATCH_MARKER]);
      expect(localActivities(history)).toEqual(['reserveStock', 'screenForFraud', 'releaseStock', 'recordOrderOutcome']);
      expect(scheduledActivities(history)).toEqual(['notifyCustomer']);
    });

    it('screens one keyboard, then charges it and completes', async () => {
      const orderId = await placeOrder(oneKeyboard());

      const completed = await waitForOrderStatus(stack.apiUrl, orderId, ['COMPLETED', 'FAILED', 'CANCELLED']);

      expect(completed.status).toBe('COMPLETED');
      expect((await stack.gateway.listCharges(orderId)).map((c) => [c.amount, c.status])).toEqual([[8900, 'succeeded']]);
      const history = await historyOf(orderId);
      expect(patchMarkers(history)).toEqual([PATCH_MARKER]);
      expect(localActivities(history)).toEqual(['reserveStock', 'screenForFraud', 'confirmOrder']);
      expect(scheduledActivities(history)).toEqual(['chargePayment', 'notifyCustomer']);
    });
  });

  describe('without the screen: an order started before the change', () => {
    it('charges a dozen keyboards unscreened when the order passed the reservation on a worker without the screen, and today’s worker finishes it', async () => {
      // The worker before the change, as the SDK models it: the code is deployed, the patch is not
      // activated, so the order passes the reservation without a marker, as every v1 order did.
      await stack.stopWorker();
      await stack.startWorker({ patchActivationCallback: () => false });
      await stack.gateway.setFaults({ failureRate: 1 });
      try {
        const orderId = await placeOrder(aDozenKeyboards());
        await waitForPendingActivity(handleOf(orderId), 'chargePayment', isRetrying);

        // Deploy: the old worker goes, today's worker replays the order's history and takes over.
        await stack.stopWorker();
        await stack.startWorker();
        await stack.gateway.setFaults({ failureRate: 0 });
        const result = (await handleOf(orderId).result()) as OrderState;

        expect(result).toMatchObject({ status: 'COMPLETED', failureReason: null });
        expect((await stack.gateway.listCharges(orderId)).map((c) => [c.amount, c.status])).toEqual([[12 * 8900, 'succeeded']]);
        const history = await historyOf(orderId);
        expect(recordedMarkers(history)).toEqual([]);
        expect(scheduledActivities(history)).toEqual(['reserveStock', 'chargePayment', 'confirmOrder', 'notifyCustomer']);
      } finally {
        await stack.gateway.setFaults({ failureRate: 0 });
        await stack.stopWorker();
        await stack.startWorker();
      }
    });

    it('replays the committed v1 happy path without the screen, and the v2 one with it, against today’s workflow', async () => {
      const v1 = readHistoryFile('v1-happy-path.json');
      const v2 = readHistoryFile('v2-happy-path.json');

      const outcomes = await replayHistoryFiles({ codePath: inject('workflowBundlePath') }, [v1, v2]);

      expect(replayFailures(outcomes)).toEqual([]);
      expect(recordedMarkers(v1)).toEqual([]);
      expect(scheduledActivities(v1)).toEqual(['reserveStock', 'chargePayment', 'confirmOrder', 'notifyCustomer']);
      expect(recordedMarkers(v2)).toEqual([PATCH_MARKER]);
      expect(scheduledActivities(v2)).toEqual(['reserveStock', 'screenForFraud', 'chargePayment', 'confirmOrder', 'notifyCustomer']);
    });
  });
});
