import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../devstack/free-port.js';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.js';
import { NO_FAULTS, serveGatewaySimulator, testGatewayClient } from '../../test/support/gateway-simulator.js';
import { serveOnFreePort, type ServedApp } from '../../test/support/http.js';
import { chargeIdempotencyKey, refundIdempotencyKey } from '../domain/order.js';
import { GatewayRequestError, GatewayUnavailableError, createPaymentGatewayClient, type PaymentGatewayClient } from './client.js';
import { TEST_TOKENS, type ChargeRequest } from './contract.js';

const TIMEOUT_MS = 300;
/** Calls that are not about the timeout get time to spare on a loaded machine. */
const UNHURRIED_TIMEOUT_MS = 2_000;

let database: TestDatabase;
let server: ServedApp;
let client: PaymentGatewayClient;
let impatient: PaymentGatewayClient;

beforeAll(async () => {
  database = await createTestDatabase('gateway_client');
  server = await serveGatewaySimulator(database);
  client = testGatewayClient(server.baseUrl, UNHURRIED_TIMEOUT_MS);
  impatient = testGatewayClient(server.baseUrl, TIMEOUT_MS);
});
afterEach(() => client.setFaults(NO_FAULTS));
afterAll(async () => {
  await server.close();
  await database.drop();
});

const newOrderId = () => randomUUID();
const chargeRequest = (orderId: string, overrides: Partial<ChargeRequest> = {}): ChargeRequest => ({
  orderId,
  amount: 1_999,
  currency: 'EUR',
  token: TEST_TOKENS.visa,
  ...overrides,
});

describe('payment gateway client', () => {
  it('returns the charge when the card is accepted, and lists it afterwards', async () => {
    const orderId = newOrderId();
    const result = await client.charge(chargeIdempotencyKey(orderId), chargeRequest(orderId));

    expect(result).toMatchObject({ outcome: 'succeeded', charge: { orderId, amount: 1_999, currency: 'EUR', status: 'succeeded' } });
    expect(await client.listCharges(orderId)).toMatchObject([{ orderId, status: 'succeeded', refund: null }]);
  });

  it('reports a declined card as a declined outcome, not an error', async () => {
    const orderId = newOrderId();
    const result = await client.charge(chargeIdempotencyKey(orderId), chargeRequest(orderId, { token: TEST_TOKENS.declined }));

    expect(result).toEqual({ outcome: 'declined', code: 'card_declined', message: expect.any(String) });
  });

  it('refunds a charge and voids a key that was never charged', async () => {
    const charged = newOrderId();
    await client.charge(chargeIdempotencyKey(charged), chargeRequest(charged));
    const neverCharged = newOrderId();

    const refund = await client.refund(refundIdempotencyKey(charged), { orderId: charged, chargeIdempotencyKey: chargeIdempotencyKey(charged) });
    const voided = await client.refund(refundIdempotencyKey(neverCharged), { orderId: neverCharged, chargeIdempotencyKey: chargeIdempotencyKey(neverCharged) });

    expect(refund).toMatchObject({ status: 'succeeded', amount: 1_999 });
    expect(voided).toMatchObject({ status: 'voided', amount: 0, chargeId: null });
  });

  it('throws GatewayUnavailableError when the gateway answers 503', async () => {
    const orderId = newOrderId();
    await client.setFaults({ failureRate: 1 });

    const charging = client.charge(chargeIdempotencyKey(orderId), chargeRequest(orderId));

    await expect(charging).rejects.toBeInstanceOf(GatewayUnavailableError);
    await expect(charging).rejects.toMatchObject({ status: 503, message: expect.stringMatching(/503 service_unavailable/) });
  });

  it('throws GatewayUnavailableError when the gateway is slower than the timeout', async () => {
    const orderId = newOrderId();
    await client.setFaults({ latencyMs: TIMEOUT_MS * 3 });

    const charging = impatient.charge(chargeIdempotencyKey(orderId), chargeRequest(orderId));

    await expect(charging).rejects.toBeInstanceOf(GatewayUnavailableError);
    await expect(charging).rejects.toThrow(/timed out after 300ms/);
  });

  it('throws GatewayUnavailableError when nothing listens at the address', async () => {
    const nobody = testGatewayClient(`http://127.0.0.1:${await freePort()}`, TIMEOUT_MS);
    const orderId = newOrderId();

    await expect(nobody.charge(chargeIdempotencyKey(orderId), chargeRequest(orderId))).rejects.toBeInstanceOf(GatewayUnavailableError);
  });

  it('throws GatewayRequestError when a key is reused with a different body', async () => {
    const orderId = newOrderId();
    await client.charge(chargeIdempotencyKey(orderId), chargeRequest(orderId));

    const reusing = client.charge(chargeIdempotencyKey(orderId), chargeRequest(orderId, { amount: 5 }));

    await expect(reusing).rejects.toBeInstanceOf(GatewayRequestError);
    await expect(reusing).rejects.toMatchObject({ status: 422, code: 'idempotency_key_mismatch' });
  });

  it('signs every call: a client with another secret is refused for good (401, not retried), and charges nothing', async () => {
    const forger = createPaymentGatewayClient({ baseUrl: server.baseUrl, timeoutMs: UNHURRIED_TIMEOUT_MS, secret: 'a-secret-the-gateway-does-not-share' });
    const orderId = newOrderId();
    const charging = forger.charge(chargeIdempotencyKey(orderId), chargeRequest(orderId));
    await expect(charging).rejects.toBeInstanceOf(GatewayRequestError);
    await expect(charging).rejects.toMatchObject({ status: 401, code: 'unauthorized' });
    expect(await client.listCharges(orderId)).toEqual([]);
    // The worker's client has no admin secret: it cannot change the gateway's faults.
    await expect(forger.setFaults({ failureRate: 1 })).rejects.toMatchObject({ code: 'no_admin_secret' });
  });
});

describe('payment gateway client, when a misrouted URL answers 2xx with something that is no gateway answer', () => {
  const answering = (status: number, body: string, contentType = 'application/json') =>
    serveOnFreePort(() => new Response(body, { status, headers: { 'content-type': contentType } }));

  it.each([
    ['200 {}', 200, '{}', 'application/json'],
    ['201 HTML', 201, '<html><body>Welcome to nginx!</body></html>', 'text/html'],
    ['402 HTML', 402, '<html>Payment Required</html>', 'text/html'],
  ])('reports a charge answered %s as transient, never as a charge or a decline', async (_, status, body, contentType) => {
    const misrouted = await answering(status, body, contentType);
    try {
      const wrong = testGatewayClient(misrouted.baseUrl, UNHURRIED_TIMEOUT_MS);
      const orderId = newOrderId();

      const charging = wrong.charge(chargeIdempotencyKey(orderId), chargeRequest(orderId));

      await expect(charging).rejects.toBeInstanceOf(GatewayUnavailableError);
      await expect(charging).rejects.toThrow(/breaks its contract/);
    } finally {
      await misrouted.close();
    }
  });

  it('reports a refund and the lists answered 200 {} as transient', async () => {
    const misrouted = await answering(200, '{}');
    try {
      const wrong = testGatewayClient(misrouted.baseUrl, UNHURRIED_TIMEOUT_MS);
      const orderId = newOrderId();

      await expect(wrong.refund(refundIdempotencyKey(orderId), { orderId, chargeIdempotencyKey: chargeIdempotencyKey(orderId) })).rejects.toBeInstanceOf(
        GatewayUnavailableError,
      );
      await expect(wrong.listCharges(orderId)).rejects.toBeInstanceOf(GatewayUnavailableError);
      await expect(wrong.listRefunds(orderId)).rejects.toBeInstanceOf(GatewayUnavailableError);
    } finally {
      await misrouted.close();
    }
  });

  it('reports a charge answered for another order as transient', async () => {
    const other = newOrderId();
    const { charge } = (await client.charge(chargeIdempotencyKey(other), chargeRequest(other))) as { charge: unknown };
    const misrouted = await answering(200, JSON.stringify(charge));
    try {
      const wrong = testGatewayClient(misrouted.baseUrl, UNHURRIED_TIMEOUT_MS);
      const orderId = newOrderId();

      await expect(wrong.charge(chargeIdempotencyKey(orderId), chargeRequest(orderId))).rejects.toThrow(/not this request/);
    } finally {
      await misrouted.close();
    }
  });
});
