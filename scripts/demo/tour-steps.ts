import { waitFor } from '../../devstack/wait-for.js';
import type { OrderSummary, TimelineEntry } from '../../src/api/orders/index.js';
import { MAX_LINE_QUANTITY } from '../../src/domain/order.js';
import { isFinal, type OrderStatus } from '../../src/domain/order-status.js';
import type { PaymentGatewayClient } from '../../src/payments/client.js';
import type { FaultSettings } from '../../src/payments/contract.js';
import type { DemoTarget } from './target.js';
import type { Answer, Caller, Transcript } from './transcript.js';

export interface TourContext {
  target: DemoTarget;
  transcript: Transcript;
  /** The simulator's fault controls. */
  gateway: PaymentGatewayClient;
  /** Makes this run's Idempotency-Keys its own, so a second tour on the same stack places new orders. */
  runId: string;
}

export interface StepOutcome {
  /** What happened, in a few words, for the summary table. */
  outcome: string;
  ok: boolean;
  /** The order the step is about, for the steps that follow it. */
  orderId?: string;
}

export interface TourStep {
  title: string;
  /** What should happen, as the summary table says it. */
  expected: string;
  run(context: TourContext, earlier: ReadonlyMap<string, StepOutcome>): Promise<StepOutcome>;
}

type Product = { sku: string; stockAvailable: number };

const WAIT = { prefer: 'wait=10' };

async function stockOf({ transcript }: TourContext, sku: string): Promise<number | undefined> {
  const { body } = await transcript.call<{ data: Product[] }>('customer', 'GET', '/products', { quiet: true });
  return body.data.find((product) => product.sku === sku)?.stockAvailable;
}

/** Polls the order (quietly) until `done` says so, then shows it once. */
async function orderWhen({ transcript }: TourContext, orderId: string, what: string, done: (order: OrderSummary) => boolean, caller: Caller = 'customer') {
  await waitFor(
    `order ${orderId} to be ${what}`,
    async () => {
      const { body } = await transcript.call<OrderSummary>(caller, 'GET', `/orders/${orderId}`, { quiet: true });
      if (done(body)) return true;
      throw new Error(`status ${body.status}`);
    },
    { timeoutMs: 60_000, intervalMs: 200 },
  );
  return transcript.call<OrderSummary>(caller, 'GET', `/orders/${orderId}`);
}

const settled = (order: OrderSummary) => isFinal(order.status) && !order.refundPending;

/** A placed order's final answer: the POST's own with `Prefer: wait`, else a poll until it settles. */
async function finalOrder(context: TourContext, placed: Answer<OrderSummary>): Promise<OrderSummary> {
  if (placed.status === 200 && settled(placed.body)) return placed.body;
  return (await orderWhen(context, placed.body.id, 'final', settled)).body;
}

const describeOrder = (order: OrderSummary) => [order.status, order.failureReason].filter(Boolean).join(' ');

/** Runs `body` with the simulator's faults changed, and puts them back as they were, whatever happens. */
async function withFaults<T>({ gateway, transcript }: TourContext, changes: Partial<FaultSettings>, why: string, body: () => Promise<T>): Promise<T> {
  const before = await gateway.getFaults();
  transcript.say(`  (gateway fault injection, PUT /admin/faults ${JSON.stringify(changes)}: ${why})`);
  await gateway.setFaults(changes);
  try {
    return await body();
  } finally {
    await gateway.setFaults({ ...before, paths: before.paths ?? [] });
    transcript.say('  (gateway faults put back as they were)');
  }
}

const placeOrder = (context: TourContext, body: object, headers: Record<string, string> = {}) =>
  context.transcript.call<OrderSummary>('customer', 'POST', '/orders', { body, headers });

const shortId = (id: string) => id.slice(0, 8);

/** The seeds' flows, in the order a newcomer meets them. */
export const TOUR_STEPS: TourStep[] = [
  {
    title: 'A happy order',
    expected: 'COMPLETED',
    async run(context) {
      context.transcript.say('  A keyboard and two mice; `Prefer: wait` returns the final status in the same round trip.');
      const placed = await placeOrder(
        context,
        {
          items: [
            { sku: 'KBD-001', quantity: 1 },
            { sku: 'MSE-001', quantity: 2 },
          ],
        },
        { ...WAIT, 'idempotency-key': `${context.runId}-happy` },
      );
      const order = await finalOrder(context, placed);
      return { outcome: `${describeOrder(order)} (${shortId(order.id)})`, ok: order.status === 'COMPLETED', orderId: order.id };
    },
  },
  {
    title: 'A declined card',
    expected: 'FAILED PAYMENT_DECLINED, stock restored',
    async run(context) {
      const before = await stockOf(context, 'MON-027');
      context.transcript.say(`  The test card tok_chargeDeclined is declined by the gateway. MON-027 in stock before: ${before}.`);
      const placed = await placeOrder(context, { items: [{ sku: 'MON-027', quantity: 1 }], paymentToken: 'tok_chargeDeclined' }, WAIT);
      const order = await finalOrder(context, placed);
      const after = await stockOf(context, 'MON-027');
      context.transcript.say(`  MON-027 in stock after: ${after}: the reservation was released.`);
      const ok = order.status === 'FAILED' && order.failureReason === 'PAYMENT_DECLINED' && before !== undefined && after === before;
      return { outcome: `${describeOrder(order)}, stock ${before} → ${after}`, ok, orderId: order.id };
    },
  },
  {
    title: 'Out of stock',
    expected: 'FAILED OUT_OF_STOCK',
    async run(context) {
      const { body } = await context.transcript.call<{ data: Product[] }>('customer', 'GET', '/products', { quiet: true });
      const scarce = body.data.filter((product) => product.stockAvailable < MAX_LINE_QUANTITY).sort((a, b) => a.stockAvailable - b.stockAvailable)[0];
      if (!scarce) return { outcome: 'no product with little enough stock to exceed', ok: false };
      const quantity = scarce.stockAvailable + 1;
      context.transcript.say(`  ${quantity} of ${scarce.sku}, which has ${scarce.stockAvailable}: nothing is reserved and nothing charged.`);
      const order = await finalOrder(context, await placeOrder(context, { items: [{ sku: scarce.sku, quantity }] }, WAIT));
      return { outcome: describeOrder(order), ok: order.status === 'FAILED' && order.failureReason === 'OUT_OF_STOCK', orderId: order.id };
    },
  },
  {
    title: 'A retried POST',
    expected: 'one order, the retry replayed',
    async run(context) {
      context.transcript.say('  The same POST twice with one Idempotency-Key, as a client does when the first answer is lost.');
      const request = { items: [{ sku: 'CBL-USB', quantity: 2 }] };
      const headers = { 'idempotency-key': `${context.runId}-retry` };
      const first = await placeOrder(context, request, headers);
      const retry = await placeOrder(context, request, headers);
      const sameOrder = first.body.id === retry.body.id;
      const replayed = retry.headers.get('idempotent-replayed') === 'true';
      return {
        outcome: sameOrder ? `one order (${shortId(first.body.id)}), retry ${replayed ? 'replayed' : 'not marked replayed'}` : 'two orders',
        ok: first.status === 202 && retry.status === 202 && sameOrder && replayed,
        orderId: first.body.id,
      };
    },
  },
  {
    title: 'A cancel in flight',
    expected: 'CANCELLED, stock restored',
    async run(context) {
      const before = await stockOf(context, 'KBD-001');
      return withFaults(context, { latencyMs: 3_000, paths: ['/charges'] }, 'every charge takes 3 s, so there is time to cancel', async () => {
        const placed = await placeOrder(context, { items: [{ sku: 'KBD-001', quantity: 1 }] });
        const reached = (statuses: OrderStatus[]) => (order: OrderSummary) => statuses.includes(order.status);
        await orderWhen(context, placed.body.id, 'reserved', reached(['RESERVED', 'PAID', 'COMPLETED', 'FAILED', 'CANCELLED']));
        context.transcript.say('  Stock is reserved and the charge is on its way: cancel now.');
        const cancel = await context.transcript.call<{ status: OrderStatus }>('customer', 'POST', `/orders/${placed.body.id}/cancel`, {
          body: { reason: 'changed my mind' },
        });
        const order = cancel.status === 200 ? undefined : await orderWhen(context, placed.body.id, 'cancelled', settled);
        const status = order?.status ?? cancel.body.status;
        const after = await stockOf(context, 'KBD-001');
        return { outcome: `${status}, stock ${before} → ${after}`, ok: status === 'CANCELLED' && after === before, orderId: placed.body.id };
      });
    },
  },
  {
    title: 'A transient gateway failure',
    expected: 'COMPLETED; history shows the charge retried',
    async run(context) {
      const order = await withFaults(context, { failNext: 2, paths: ['/charges'] }, 'the next two charge requests answer 503', async () =>
        finalOrder(context, await placeOrder(context, { items: [{ sku: 'MSE-001', quantity: 1 }] }, { prefer: 'wait=20' })),
      );
      const { body } = await context.transcript.call<{ entries: TimelineEntry[] }>('customer', 'GET', `/orders/${order.id}/history`);
      const charges = body.entries.filter((entry) => entry.step === 'chargePayment');
      for (const charge of charges)
        context.transcript.say(`    chargePayment attempt ${charge.attempt}: ${charge.outcome}${charge.failure ? ` (${charge.failure})` : ''}`);
      const outcomes = charges.map((charge) => charge.outcome);
      const retried = outcomes.length >= 2 && outcomes.at(-1) === 'completed' && outcomes.slice(0, -1).every((outcome) => outcome === 'failed');
      return { outcome: `${describeOrder(order)}; charge ${outcomes.join(', ')}`, ok: order.status === 'COMPLETED' && retried, orderId: order.id };
    },
  },
];
