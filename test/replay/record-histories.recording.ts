/**
 * Re-records the committed histories from real order runs: `npm run histories:record`.
 * Not a test: the main vitest config never picks it up (its name does not end in `.test.ts`).
 * It starts its own dev server and PostgreSQL (test/global-setup.ts), drives each scenario
 * through the API over HTTP, and writes `<generation>-<scenario>.encrypted.json` into test/replay/histories:
 * the stack encrypts payloads with the suite's test key, as production does with its own.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { WorkflowHandle } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { OrderSummary } from '../../src/api/orders/index.js';
import { orderWorkflowId } from '../../src/domain/order.js';
import { TEST_TOKENS, type FaultSettings } from '../../src/payments/contract.js';
import type { OrderState } from '../../src/workflows/messages.js';
import { anOrderRequest, call } from '../support/api-client.js';
import { serveOnFreePort, type ServedApp } from '../support/http.js';
import { startOrderStack, type OrderStack } from '../support/order-stack.js';
import { fastSagaTimings } from '../support/saga-timings.js';
import { ENCRYPTED_HISTORY_SUFFIX, HISTORIES_DIR, writeHistoryFile } from './history-files.js';
import { historyToJson } from './history-json.js';
import { isRetrying, isRunning, waitForPendingActivity } from '../support/pending-activities.js';

/**
 * Which workflow code the histories are taken with. Files of earlier generations are never
 * rewritten: they stand for orders started by workers that no longer exist.
 */
const GENERATION = 'v4';

const CATALOGUE = [
  { sku: 'KBD-001', name: 'Mechanical keyboard', unitPrice: 8900, currency: 'USD', stockAvailable: 100 },
  { sku: 'MSE-001', name: 'Wireless mouse', unitPrice: 2900, currency: 'USD', stockAvailable: 100 },
  { sku: 'LTD-001', name: 'Limited edition desk mat', unitPrice: 4500, currency: 'USD', stockAvailable: 1 },
];

/** Low, so that an order of a dozen keyboards is held for review. */
const FRAUD_REVIEW_LIMIT = 100_000;

/** A customer whose inbox refuses the first delivery of every notification. */
const FLAKY_INBOX_CUSTOMER = 'cus_flaky_inbox';

interface NotificationReceiver extends ServedApp {
  /** Deliveries refused so far. */
  refusals(): number;
}

/** A webhook receiver that answers 503 to the first delivery for the flaky customer, and 204 to the rest. */
async function startNotificationReceiver(): Promise<NotificationReceiver> {
  const refused = new Set<string>();
  const served = await serveOnFreePort(async (request) => {
    const { customerId } = (await request.json()) as { customerId: string };
    const key = request.headers.get('idempotency-key') ?? '';
    if (customerId === FLAKY_INBOX_CUSTOMER && !refused.has(key)) {
      refused.add(key);
      return new Response('inbox busy', { status: 503 });
    }
    return new Response(null, { status: 204 });
  });
  return { ...served, refusals: () => refused.size };
}

describe(`recording ${GENERATION} order histories from the real dev server`, () => {
  let stack: OrderStack;
  let inbox: NotificationReceiver;

  beforeAll(async () => {
    inbox = await startNotificationReceiver();
    // A short payment deadline, so the deadline scenario takes seconds; still room for a retry or two.
    stack = await startOrderStack({
      catalogue: CATALOGUE,
      sagaTimings: fastSagaTimings({ paymentDeadlineMs: 5_000 }),
      notifyWebhookUrl: inbox.baseUrl,
      fraudReviewLimit: FRAUD_REVIEW_LIMIT,
    });
  });
  afterAll(async () => {
    await stack.stop();
    await inbox.close();
  });

  const handleOf = (orderId: string): WorkflowHandle => stack.temporal.workflow.getHandle(orderWorkflowId(orderId));

  async function placeOrder(request = anOrderRequest()): Promise<string> {
    const accepted = await call<OrderSummary>(stack.apiUrl, 'POST', '/orders', request);
    expect(accepted.status).toBe(202);
    return accepted.body.id;
  }

  /** Runs a scenario with the gateway's faults set, and always puts the gateway right afterwards. */
  async function withGatewayFaults(faults: Partial<FaultSettings>, scenario: () => Promise<void>): Promise<void> {
    await stack.gateway.setFaults(faults);
    try {
      await scenario();
    } finally {
      await stack.gateway.setFaults({ failureRate: 0, latencyMs: 0 });
    }
  }

  /** Waits for the order's workflow to close, then writes its whole history. */
  async function recordHistory(orderId: string, scenario: string): Promise<OrderState> {
    const handle = handleOf(orderId);
    const state = (await handle.result()) as OrderState;
    writeHistoryFile(`${GENERATION}-${scenario}${ENCRYPTED_HISTORY_SUFFIX}`, await handle.fetchHistory());
    return state;
  }

  it('happy path: every step succeeds; the history is also exported with the CLI', async () => {
    const orderId = await placeOrder(
      anOrderRequest({
        items: [
          { sku: 'KBD-001', quantity: 1 },
          { sku: 'MSE-001', quantity: 2 },
        ],
      }),
    );
    expect(await recordHistory(orderId, 'happy-path')).toMatchObject({ status: 'COMPLETED' });

    // The same history as an operator exports it from production; both formats must be one format.
    const exported = execFileSync(
      inject('temporalCliPath'),
      ['workflow', 'show', '--workflow-id', orderWorkflowId(orderId), '--address', inject('temporalAddress'), '--output', 'json'],
      { encoding: 'utf8' },
    );
    writeFileSync(join(HISTORIES_DIR, `cli-exported-${GENERATION}-happy-path${ENCRYPTED_HISTORY_SUFFIX}`), exported);
    expect(JSON.parse(exported)).toEqual(JSON.parse(historyToJson(await handleOf(orderId).fetchHistory())));
  });

  it('out of stock: the reservation fails; the release still runs, in case a stalled attempt lands later', async () => {
    const orderId = await placeOrder(anOrderRequest({ items: [{ sku: 'LTD-001', quantity: 2 }] }));
    expect(await recordHistory(orderId, 'out-of-stock')).toMatchObject({ status: 'FAILED', failureReason: 'OUT_OF_STOCK' });
  });

  it('fraud suspected: the total is above the review limit, the stock is released and nothing is charged', async () => {
    const orderId = await placeOrder(anOrderRequest({ items: [{ sku: 'KBD-001', quantity: 12 }] }));
    expect(await recordHistory(orderId, 'fraud-suspected')).toMatchObject({ status: 'FAILED', failureReason: 'FRAUD_SUSPECTED' });
    expect(await stack.gateway.listCharges(orderId)).toEqual([]);
  });

  it('payment declined: the stock is released, the outcome recorded, and the charge key voided', async () => {
    const orderId = await placeOrder(anOrderRequest({ paymentToken: TEST_TOKENS.declined }));
    expect(await recordHistory(orderId, 'payment-declined')).toMatchObject({ status: 'FAILED', failureReason: 'PAYMENT_DECLINED' });
  });

  it('payment retried: the gateway answers 503, then recovers, and the order completes', async () => {
    await withGatewayFaults({ failureRate: 1 }, async () => {
      const orderId = await placeOrder();
      await waitForPendingActivity(handleOf(orderId), 'chargePayment', isRetrying);
      await stack.gateway.setFaults({ failureRate: 0 });
      expect(await recordHistory(orderId, 'payment-retried')).toMatchObject({ status: 'COMPLETED' });
    });
  });

  it('payment deadline passed: the gateway stays down, the charge is given up, the stock released, the outcome recorded, then refunded (void)', async () => {
    await withGatewayFaults({ failureRate: 1 }, async () => {
      const orderId = await placeOrder();
      // The refund must reach the gateway to finish, so it comes back once the charge is given up.
      await waitForPendingActivity(handleOf(orderId), 'refundPayment');
      await stack.gateway.setFaults({ failureRate: 0 });
      expect(await recordHistory(orderId, 'payment-deadline-passed')).toMatchObject({ status: 'FAILED', failureReason: 'PAYMENT_UNAVAILABLE' });
    });
  });

  it('cancelled before payment: the gateway is down, the customer cancels while the charge is retrying; nothing is charged', async () => {
    await withGatewayFaults({ failureRate: 1 }, async () => {
      const orderId = await placeOrder();
      await waitForPendingActivity(handleOf(orderId), 'chargePayment', isRetrying);
      const cancelling = call<{ status: string }>(stack.apiUrl, 'POST', `/orders/${orderId}/cancel`, { reason: 'ordered by mistake' });
      // The refund voids the charge key at the gateway, so it must get through to finish.
      await waitForPendingActivity(handleOf(orderId), 'refundPayment');
      await stack.gateway.setFaults({ failureRate: 0 });
      expect(await cancelling).toMatchObject({ status: 200, body: { status: 'CANCELLED' } });
      expect(await recordHistory(orderId, 'cancelled-before-payment')).toMatchObject({ status: 'CANCELLED' });
      expect(await stack.gateway.listCharges(orderId)).toEqual([]);
    });
  });

  it('cancelled before start: the cancel is already waiting when the first workflow task runs, so no step runs', async () => {
    await stack.stopWorker();
    let cancelling: Promise<unknown> | undefined;
    try {
      const orderId = await placeOrder();
      cancelling = call(stack.apiUrl, 'POST', `/orders/${orderId}/cancel`, { reason: 'ordered by mistake' });
      // The server holds the Update and hands it to the first workflow task once a worker polls.
      await sleep(1_000);
      await stack.startWorker();
      expect(await cancelling).toMatchObject({ status: 200 });
      expect(await recordHistory(orderId, 'cancelled-before-start')).toMatchObject({ status: 'CANCELLED' });
      expect(await stack.gateway.listCharges(orderId)).toEqual([]);
    } finally {
      await stack.startWorker();
      await cancelling?.catch(() => {});
    }
  });

  it('cancelled after payment: the cancel lands while the charge is in flight, the charge succeeds and is refunded', async () => {
    await withGatewayFaults({ latencyMs: 1_000 }, async () => {
      const orderId = await placeOrder();
      await waitForPendingActivity(handleOf(orderId), 'chargePayment', isRunning);
      const cancelled = await call<{ status: string }>(stack.apiUrl, 'POST', `/orders/${orderId}/cancel`, { reason: 'found it cheaper' });
      expect(cancelled).toMatchObject({ status: 200, body: { status: 'CANCELLED' } });
      expect(await recordHistory(orderId, 'cancelled-after-payment')).toMatchObject({ status: 'CANCELLED' });
      const [charge] = await stack.gateway.listCharges(orderId);
      expect(charge?.refund).toMatchObject({ status: 'succeeded' });
    });
  });

  it('notification retried: the customer inbox refuses the first delivery, the second is taken', async () => {
    const orderId = await placeOrder(anOrderRequest({ customerId: FLAKY_INBOX_CUSTOMER }));
    const refusedBefore = inbox.refusals();
    expect(await recordHistory(orderId, 'notification-retried')).toMatchObject({ status: 'COMPLETED' });
    expect(inbox.refusals()).toBe(refusedBefore + 1);
  });

  it('prefer wait: POST with Prefer: wait=10 starts the order with the waitForOutcome Update and answers it final', async () => {
    const answered = await call<OrderSummary>(stack.apiUrl, 'POST', '/orders', anOrderRequest(), { prefer: 'wait=10' });
    expect(answered).toMatchObject({ status: 200, body: { status: 'COMPLETED' } });
    expect(await recordHistory(answered.body.id, 'prefer-wait')).toMatchObject({ status: 'COMPLETED' });
  });
});
