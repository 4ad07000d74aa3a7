import { ApplicationFailure } from '@temporalio/common';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.js';
import { NO_FAULTS, serveGatewaySimulator, testGatewayClient } from '../../test/support/gateway-simulator.js';
import { serveOnFreePort, type ServedApp } from '../../test/support/http.js';
import { aPendingOrder, aProduct, insertProducts, orderRow } from '../../test/support/order-fixtures.js';
import { GatewayCircuitOpenError } from '../payments/circuit-breaker.js';
import { GatewayUnavailableError, type PaymentGatewayClient } from '../payments/client.js';
import { TEST_TOKENS } from '../payments/contract.js';
import { isBusinessErrorType } from '../domain/business-errors.js';
import { createInventoryActivities } from './inventory.js';
import { createOrderRecordActivities } from './order-records.js';
import { createPaymentActivities, PAYMENT_GATEWAY_UNAVAILABLE } from './payments.js';

let database: TestDatabase;
let server: ServedApp;
let gateway: PaymentGatewayClient;
let inventory: ReturnType<typeof createInventoryActivities>;
let payments: ReturnType<typeof createPaymentActivities>;

beforeAll(async () => {
  database = await createTestDatabase('payments');
  server = await serveGatewaySimulator(database);
  gateway = testGatewayClient(server.baseUrl, 2_000);
  inventory = createInventoryActivities(database.db);
  payments = createPaymentActivities(database.db, gateway);
});
afterEach(() => gateway.setFaults(NO_FAULTS));
afterAll(async () => {
  await server.close();
  await database.drop();
});

/** An order for 2 keyboards with the keyboards held: the state in which the saga charges. */
async function aReservedOrderFor2Keyboards() {
  const { db } = database;
  const [keyboard] = await insertProducts(db, aProduct({ unitPrice: 8900, stockAvailable: 10 }));
  const order = await aPendingOrder(db, { lines: [{ product: keyboard, quantity: 2 }] });
  await inventory.reserveStock(order);
  return order;
}

describe('chargePayment', () => {
  it('charges the card once when the charge runs twice, and marks the order PAID with the charge', async () => {
    const { db } = database;
    const order = await aReservedOrderFor2Keyboards();
    const charge = { orderId: order.orderId, total: order.total, paymentToken: TEST_TOKENS.visa };

    const first = await payments.chargePayment(charge);
    const second = await payments.chargePayment(charge);

    expect(second).toEqual(first);
    const charges = await gateway.listCharges(order.orderId);
    expect(charges).toMatchObject([{ id: first.chargeId, amount: 17_800, currency: 'USD', status: 'succeeded', refund: null }]);
    expect(await orderRow(db, order.orderId)).toMatchObject({ status: 'PAID', paymentId: first.chargeId });
  });

  it('answers a charge replayed over a COMPLETED order (a workflow reset) with the same charge, and leaves the order COMPLETED', async () => {
    const { db } = database;
    const order = await aReservedOrderFor2Keyboards();
    const charge = { orderId: order.orderId, total: order.total, paymentToken: TEST_TOKENS.visa };
    const first = await payments.chargePayment(charge);
    await createOrderRecordActivities(db).confirmOrder(order);

    await expect(payments.chargePayment(charge)).resolves.toEqual(first);

    expect(await orderRow(db, order.orderId)).toMatchObject({ status: 'COMPLETED', paymentId: first.chargeId });
    expect(await gateway.listCharges(order.orderId)).toMatchObject([{ id: first.chargeId, refund: null }]);
  });

  it('fails for good with PaymentDeclined when the card is declined, and the order stays RESERVED', async () => {
    const { db } = database;
    const order = await aReservedOrderFor2Keyboards();

    const charging = payments.chargePayment({ orderId: order.orderId, total: order.total, paymentToken: TEST_TOKENS.declined });

    await expect(charging).rejects.toBeInstanceOf(ApplicationFailure);
    await expect(charging).rejects.toMatchObject({ type: 'PaymentDeclined', nonRetryable: true, details: [{ code: 'card_declined' }] });
    expect(await orderRow(db, order.orderId)).toMatchObject({ status: 'RESERVED', paymentId: null });
    expect(await gateway.listCharges(order.orderId)).toEqual([]);
  });

  it('throws an error Temporal will retry when the gateway is down, and charges nothing', async () => {
    const { db } = database;
    const order = await aReservedOrderFor2Keyboards();
    await gateway.setFaults({ failureRate: 1 });

    const charging = payments.chargePayment({ orderId: order.orderId, total: order.total, paymentToken: TEST_TOKENS.visa });

    await expect(charging).rejects.toBeInstanceOf(GatewayUnavailableError);
    await expect(charging).rejects.not.toBeInstanceOf(ApplicationFailure);
    await gateway.setFaults(NO_FAULTS);
    expect(await gateway.listCharges(order.orderId)).toEqual([]);
    expect((await orderRow(db, order.orderId)).status).toBe('RESERVED');
  });

  it.each([401, 403, 404, 409, 413] as const)(
    'fails a retry refused with %i after a lost answer as a non-retryable PaymentRequestRejected, no decline',
    async (status) => {
      const { db } = database;
      const order = await aReservedOrderFor2Keyboards();
      const charge = { orderId: order.orderId, total: order.total, paymentToken: TEST_TOKENS.visa };
      await gateway.setFaults({ paths: ['/charges'], loseNextResponses: 1, rejectNext: { status, count: 1 } });

      await expect(payments.chargePayment(charge)).rejects.toBeInstanceOf(GatewayUnavailableError);
      const retry = payments.chargePayment(charge);

      await expect(retry).rejects.toBeInstanceOf(ApplicationFailure);
      await expect(retry).rejects.toMatchObject({ type: 'PaymentRequestRejected', nonRetryable: true, details: [{ status }] });
      expect(isBusinessErrorType(((await retry.catch((e: unknown) => e)) as ApplicationFailure).type)).toBe(false);
      // The first attempt did charge: the refund compensation has something to give back.
      expect(await gateway.listCharges(order.orderId)).toMatchObject([{ amount: 17_800, status: 'succeeded' }]);
      expect(await orderRow(db, order.orderId)).toMatchObject({ status: 'RESERVED', paymentId: null });
    },
  );

  it('charges nothing and leaves the order RESERVED when a misrouted gateway URL answers 200 {}: an error Temporal retries', async () => {
    const { db } = database;
    const order = await aReservedOrderFor2Keyboards();
    const misrouted = await serveOnFreePort(() => Response.json({}, { status: 200 }));
    try {
      const wrong = createPaymentActivities(db, testGatewayClient(misrouted.baseUrl, 2_000));

      const charging = wrong.chargePayment({ orderId: order.orderId, total: order.total, paymentToken: TEST_TOKENS.visa });

      await expect(charging).rejects.toBeInstanceOf(GatewayUnavailableError);
      await expect(charging).rejects.not.toBeInstanceOf(ApplicationFailure);
      expect(await orderRow(db, order.orderId)).toMatchObject({ status: 'RESERVED', paymentId: null });
    } finally {
      await misrouted.close();
    }
  });

  it('charges once the gateway recovers, under the same key', async () => {
    const { db } = database;
    const order = await aReservedOrderFor2Keyboards();
    const charge = { orderId: order.orderId, total: order.total, paymentToken: TEST_TOKENS.visa };
    await gateway.setFaults({ failureRate: 1 });
    await expect(payments.chargePayment(charge)).rejects.toBeInstanceOf(GatewayUnavailableError);

    await gateway.setFaults(NO_FAULTS);
    const { chargeId } = await payments.chargePayment(charge);

    expect(await gateway.listCharges(order.orderId)).toMatchObject([{ id: chargeId }]);
    expect(await orderRow(db, order.orderId)).toMatchObject({ status: 'PAID', paymentId: chargeId });
  });
});

describe('refundPayment', () => {
  it('refunds the charge once when the refund runs twice', async () => {
    const order = await aReservedOrderFor2Keyboards();
    const { chargeId } = await payments.chargePayment({ orderId: order.orderId, total: order.total, paymentToken: TEST_TOKENS.visa });

    const first = await payments.refundPayment(order);
    const second = await payments.refundPayment(order);

    expect(first).toEqual({ id: expect.any(String), status: 'succeeded', amount: 17_800 });
    expect(second).toEqual(first);
    expect(await gateway.listRefunds(order.orderId)).toMatchObject([{ id: first.id, chargeId, amount: 17_800, status: 'succeeded' }]);
    expect(await gateway.listCharges(order.orderId)).toMatchObject([{ id: chargeId, status: 'refunded', refund: { id: first.id } }]);
  });

  it('voids the charge key when nothing was charged yet, so a charge that lands later is declined', async () => {
    const { db } = database;
    const order = await aReservedOrderFor2Keyboards();

    const refund = await payments.refundPayment(order);
    const lateCharge = payments.chargePayment({ orderId: order.orderId, total: order.total, paymentToken: TEST_TOKENS.visa });

    expect(refund).toEqual({ id: expect.any(String), status: 'voided', amount: 0 });
    await expect(lateCharge).rejects.toBeInstanceOf(ApplicationFailure);
    await expect(lateCharge).rejects.toMatchObject({ type: 'PaymentDeclined', nonRetryable: true, details: [{ code: 'charge_voided' }] });
    expect(await gateway.listCharges(order.orderId)).toEqual([]);
    expect(await orderRow(db, order.orderId)).toMatchObject({ status: 'RESERVED', paymentId: null });
  });
});

describe('the gateway circuit breaker, seen from the payment activities', () => {
  it('a charge or refund the open breaker held back is a retryable PaymentGatewayUnavailable whose next retry waits for the breaker, and no attempt is counted', async () => {
    const order = await aReservedOrderFor2Keyboards();
    const attempts: string[] = [];
    const open = (): never => {
      throw new GatewayCircuitOpenError(700);
    };
    const heldBack = createPaymentActivities(
      database.db,
      { ...gateway, charge: open, refund: open },
      {
        paymentAttempted: (outcome) => attempts.push(outcome),
        orderFinished: () => undefined,
        compensationRan: () => undefined,
      },
    );

    const charge = heldBack.chargePayment({ orderId: order.orderId, total: order.total, paymentToken: TEST_TOKENS.visa });
    const expected = { type: PAYMENT_GATEWAY_UNAVAILABLE, nonRetryable: false, nextRetryDelay: 700 };
    await expect(charge).rejects.toBeInstanceOf(ApplicationFailure);
    await expect(charge).rejects.toMatchObject(expected);
    await expect(heldBack.refundPayment(order)).rejects.toMatchObject(expected);
    expect(attempts).toEqual([]);
    expect(await orderRow(database.db, order.orderId)).toMatchObject({ status: 'RESERVED', paymentId: null });
  });
});
