import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { chargeIdempotencyKey, refundIdempotencyKey } from '../../src/domain/order.js';
import {
  MAX_CHARGE_AMOUNT,
  TEST_TOKENS,
  type Charge,
  type ChargeRecord,
  type ChargeRequest,
  type FaultSettings,
  type Refund,
  type RefundRequest,
} from '../../src/payments/contract.js';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.js';
import { signatureHeaders } from '../../src/payments/request-signing.js';
import { NO_FAULTS, TEST_GATEWAY_SECRETS, silentGatewayLogger } from '../../test/support/gateway-simulator.js';
import { createGatewayApp } from './app.js';
import { createFaultInjector } from './faults.js';
import { migrateGatewayDatabase } from './migrate.js';

let database: TestDatabase;
let app: ReturnType<typeof createGatewayApp>;

beforeAll(async () => {
  database = await createTestDatabase('gateway_app');
  await migrateGatewayDatabase(database);
  app = createGatewayApp({ database, faults: createFaultInjector(NO_FAULTS), logger: silentGatewayLogger(), secrets: TEST_GATEWAY_SECRETS });
});
afterAll(() => database.drop());
afterEach(() => setFaults(NO_FAULTS));

// Builders: each scenario gets an order of its own, so no test sees another's rows.
const newOrderId = () => randomUUID();
const chargeRequest = (orderId: string, overrides: Partial<ChargeRequest> = {}): ChargeRequest => ({
  orderId,
  amount: 4_200,
  currency: 'USD',
  token: TEST_TOKENS.visa,
  ...overrides,
});
const refundRequest = (orderId: string): RefundRequest => ({ orderId, chargeIdempotencyKey: chargeIdempotencyKey(orderId) });

/** Signed as the payment client signs: the admin routes with their own secret. */
async function send(method: string, path: string, body?: unknown, idempotencyKey?: string) {
  const text = body === undefined ? '' : JSON.stringify(body);
  const secret = path.startsWith('/admin/') ? TEST_GATEWAY_SECRETS.admin : TEST_GATEWAY_SECRETS.signing;
  const headers: Record<string, string> = { 'content-type': 'application/json', ...signatureHeaders(secret, { method, path, body: text }) };
  if (idempotencyKey !== undefined) headers['Idempotency-Key'] = idempotencyKey;
  const response = await app.request(path, { method, headers, body: body === undefined ? undefined : text });
  return { status: response.status, body: await response.json() };
}
const postCharge = (key: string, request: ChargeRequest) => send('POST', '/charges', request, key);
const postRefund = (key: string, request: RefundRequest) => send('POST', '/refunds', request, key);
const setFaults = (changes: Partial<FaultSettings>) => send('PUT', '/admin/faults', changes);
const chargesOf = async (orderId: string) => ((await send('GET', `/charges?orderId=${orderId}`)).body as { data: ChargeRecord[] }).data;
const refundsOf = async (orderId: string) => ((await send('GET', `/refunds?orderId=${orderId}`)).body as { data: Refund[] }).data;
const errorCode = (body: unknown) => (body as { error: { code: string } }).error.code;

describe('payment gateway charges', () => {
  it('answers a repeated charge with the first response and charges once', async () => {
    const orderId = newOrderId();
    const first = await postCharge(chargeIdempotencyKey(orderId), chargeRequest(orderId));
    const replay = await postCharge(chargeIdempotencyKey(orderId), chargeRequest(orderId));

    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ orderId, amount: 4_200, currency: 'USD', status: 'succeeded' });
    expect((first.body as Charge).id).toMatch(/^ch_/);
    expect(replay).toEqual(first);
    expect(await chargesOf(orderId)).toHaveLength(1);
  });

  it('refuses a key reused with a different body with 422 idempotency_key_mismatch', async () => {
    const orderId = newOrderId();
    await postCharge(chargeIdempotencyKey(orderId), chargeRequest(orderId));
    const reused = await postCharge(chargeIdempotencyKey(orderId), chargeRequest(orderId, { amount: 9_999 }));

    expect(reused.status).toBe(422);
    expect(errorCode(reused.body)).toBe('idempotency_key_mismatch');
  });

  it('makes exactly one charge from 50 concurrent requests with one key', async () => {
    const orderId = newOrderId();
    const responses = await Promise.all(Array.from({ length: 50 }, () => postCharge(chargeIdempotencyKey(orderId), chargeRequest(orderId))));

    expect(new Set(responses.map((r) => r.status))).toEqual(new Set([201]));
    expect(new Set(responses.map((r) => (r.body as Charge).id)).size).toBe(1);
    const [{ count }] = (await database.sql`select count(*)::int as count from payment_gateway.charges where order_id = ${orderId}`) as unknown as [{ count: number }];
    expect(count).toBe(1);
  });

  it.each([
    [TEST_TOKENS.declined, 'card_declined'],
    [TEST_TOKENS.insufficientFunds, 'insufficient_funds'],
  ])('declines %s with 402 %s, and declines a replay the same way', async (token, code) => {
    const orderId = newOrderId();
    const declined = await postCharge(chargeIdempotencyKey(orderId), chargeRequest(orderId, { token }));
    const replay = await postCharge(chargeIdempotencyKey(orderId), chargeRequest(orderId, { token }));

    expect(declined.status).toBe(402);
    expect(errorCode(declined.body)).toBe(code);
    expect(replay).toEqual(declined);
    expect(await chargesOf(orderId)).toEqual([]);
  });

  it('refuses a request without an Idempotency-Key with 400', async () => {
    const orderId = newOrderId();
    const response = await send('POST', '/charges', chargeRequest(orderId));

    expect(response.status).toBe(400);
    expect(errorCode(response.body)).toBe('idempotency_key_missing');
  });

  it('refuses a malformed body with 400 invalid_request', async () => {
    const orderId = newOrderId();
    const response = await postCharge(chargeIdempotencyKey(orderId), chargeRequest(orderId, { amount: -1 }));

    expect(response.status).toBe(400);
    expect(errorCode(response.body)).toBe('invalid_request');
  });

  it('charges at most MAX_CHARGE_AMOUNT, the ceiling the API bounds order totals by', async () => {
    const [atMost, over] = [newOrderId(), newOrderId()];
    expect((await postCharge(chargeIdempotencyKey(atMost), chargeRequest(atMost, { amount: MAX_CHARGE_AMOUNT }))).status).toBe(201);
    const refused = await postCharge(chargeIdempotencyKey(over), chargeRequest(over, { amount: MAX_CHARGE_AMOUNT + 1 }));
    expect(refused.status).toBe(400);
    expect(errorCode(refused.body)).toBe('invalid_request');
  });
});

describe('payment gateway refunds', () => {
  it('refunds a charge in full once, however many times it is asked', async () => {
    const orderId = newOrderId();
    const charge = (await postCharge(chargeIdempotencyKey(orderId), chargeRequest(orderId))).body as Charge;

    const first = await postRefund(refundIdempotencyKey(orderId), refundRequest(orderId));
    const replay = await postRefund(refundIdempotencyKey(orderId), refundRequest(orderId));
    const underAnotherKey = await postRefund(`${refundIdempotencyKey(orderId)}-again`, refundRequest(orderId));

    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ status: 'succeeded', chargeId: charge.id, amount: charge.amount });
    expect(replay).toEqual(first);
    expect(underAnotherKey).toEqual({ status: 200, body: first.body });
    expect(await refundsOf(orderId)).toHaveLength(1);
    expect(await chargesOf(orderId)).toMatchObject([{ id: charge.id, status: 'refunded', refund: first.body }]);
  });

  it('voids the charge key when the refund comes first, so a late charge is refused', async () => {
    const orderId = newOrderId();
    const refund = await postRefund(refundIdempotencyKey(orderId), refundRequest(orderId));
    const lateCharge = await postCharge(chargeIdempotencyKey(orderId), chargeRequest(orderId));

    expect(refund.status).toBe(201);
    expect(refund.body).toMatchObject({ status: 'voided', chargeId: null, amount: 0 });
    expect(lateCharge.status).toBe(402);
    expect(errorCode(lateCharge.body)).toBe('charge_voided');
    expect(await chargesOf(orderId)).toEqual([]);
  });

  it('never leaves a charge standing when a charge and a refund for one key race', async () => {
    const orderIds = Array.from({ length: 10 }, newOrderId);
    await Promise.all(
      orderIds.flatMap((orderId) => [
        postCharge(chargeIdempotencyKey(orderId), chargeRequest(orderId)),
        postRefund(refundIdempotencyKey(orderId), refundRequest(orderId)),
      ]),
    );

    for (const orderId of orderIds) {
      const charges = await chargesOf(orderId);
      expect(charges.every((c) => c.status === 'refunded')).toBe(true);
      expect(await refundsOf(orderId)).toHaveLength(1);
    }
  });
});

describe('payment gateway faults', () => {
  it('answers 503 before doing anything when every request is to fail', async () => {
    const orderId = newOrderId();
    await setFaults({ failureRate: 1 });
    const response = await postCharge(chargeIdempotencyKey(orderId), chargeRequest(orderId));
    await setFaults({ failureRate: 0 });

    expect(response.status).toBe(503);
    expect(errorCode(response.body)).toBe('service_unavailable');
    expect(await chargesOf(orderId)).toEqual([]);
  });

  it('repeats the same failures for the same seed', async () => {
    const statusesFor = async (seed: number) => {
      await setFaults({ failureRate: 0.5, seed });
      const statuses: number[] = [];
      for (let i = 0; i < 20; i++) statuses.push((await send('GET', `/charges?orderId=${newOrderId()}`)).status);
      return statuses;
    };
    const firstRun = await statusesFor(1234);
    const secondRun = await statusesFor(1234);

    expect(secondRun).toEqual(firstRun);
    expect(new Set(firstRun)).toEqual(new Set([200, 503]));
  });

  it('fails only the paths it targets', async () => {
    const orderId = newOrderId();
    await setFaults({ failureRate: 1, paths: ['/charges'] });
    const charge = await postCharge(chargeIdempotencyKey(orderId), chargeRequest(orderId));
    const refund = await postRefund(refundIdempotencyKey(orderId), refundRequest(orderId));
    await setFaults({ failureRate: 0, paths: [] });

    expect(charge.status).toBe(503);
    expect(refund.status).toBe(201);
  });

  it('fails exactly the next N requests when asked to', async () => {
    await setFaults({ failNext: 2, paths: ['/charges'] });
    const statuses = [];
    for (let i = 0; i < 3; i++) {
      const orderId = newOrderId();
      statuses.push((await postCharge(chargeIdempotencyKey(orderId), chargeRequest(orderId))).status);
    }
    await setFaults({ paths: [] });

    expect(statuses).toEqual([503, 503, 201]);
  });

  it('commits a charge but loses its answer, then refuses the retry with a 4xx that is no decline', async () => {
    const orderId = newOrderId();
    await setFaults({ paths: ['/charges'], loseNextResponses: 1, rejectNext: { status: 409, count: 1 } });
    const lost = await postCharge(chargeIdempotencyKey(orderId), chargeRequest(orderId));
    const retry = await postCharge(chargeIdempotencyKey(orderId), chargeRequest(orderId));
    const later = await postCharge(chargeIdempotencyKey(orderId), chargeRequest(orderId));
    await setFaults({ paths: [] });

    expect(lost.status).toBe(503);
    expect(retry.status).toBe(409);
    expect(errorCode(retry.body)).toBe('idempotency_request_in_progress');
    expect(later.status).toBe(201);
    expect(await chargesOf(orderId)).toMatchObject([{ orderId, amount: 4_200, status: 'succeeded' }]);
  });

  it('refuses a fault setting that would inject a decline or a 5xx as a refusal', async () => {
    expect((await setFaults({ rejectNext: { status: 402 as 409, count: 1 } })).status).toBe(400);
    expect((await setFaults({ rejectNext: { status: 500 as 409, count: 1 } })).status).toBe(400);
  });

  it('leaves health and the admin endpoints reachable whatever the faults', async () => {
    await setFaults({ failureRate: 1 });

    expect((await send('GET', '/health')).status).toBe(200);
    expect(await send('GET', '/admin/faults')).toMatchObject({ status: 200, body: { failureRate: 1, latencyMs: 0, seed: 42 } });
  });
});

describe('payment gateway migrations', () => {
  it('apply again without error', async () => {
    await expect(migrateGatewayDatabase(database)).resolves.toBeUndefined();
  });
});
