import { randomUUID } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.js';
import { aPendingOrder, aProduct, insertProducts, orderRow } from '../../test/support/order-fixtures.js';
import { createLogger } from '../platform/logger.js';
import type { PaymentGatewayClient } from '../payments/client.js';
import { rejectingBadData } from './data-errors.js';
import { createOrderActivities, type OrderActivities } from './index.js';

let database: TestDatabase;
let activities: OrderActivities;

/** No step in these scenarios reaches the gateway. */
const unreachableGateway = new Proxy({} as PaymentGatewayClient, {
  get: () => () => Promise.reject(new Error('the gateway is not part of this test')),
});

beforeAll(async () => {
  database = await createTestDatabase('data_errors');
  activities = createOrderActivities({
    db: database.db,
    gateway: unreachableGateway,
    logger: createLogger({ name: 'data-errors-test', level: 'silent', pretty: false }),
    fraudReviewLimit: 1_000_000,
  });
});
afterAll(() => database.drop());

describe('activities given data PostgreSQL refuses', () => {
  it('fail a reservation whose SKU holds a NUL byte as a non-retryable DataRejected naming the SQLSTATE, with no SQL in it', async () => {
    const orderId = randomUUID();

    const reserving = activities.reserveStock({ orderId, lines: [{ sku: 'KBD\u0000-001', quantity: 1 }] });

    await expect(reserving).rejects.toBeInstanceOf(ApplicationFailure);
    await expect(reserving).rejects.toMatchObject({ type: 'DataRejected', nonRetryable: true, details: [{ sqlState: '22021' }] });
    const { message } = (await reserving.catch((error: unknown) => error)) as ApplicationFailure;
    expect(message).toMatch(/SQLSTATE 22021/);
    expect(message).not.toMatch(/insert|select|KBD/i);
  });

  it('still fail an unknown SKU as InvalidOrder, the conflict the reservation handles itself', async () => {
    const { db } = database;
    const [keyboard] = await insertProducts(db, aProduct());
    const order = await aPendingOrder(db, { lines: [{ product: keyboard, quantity: 1 }] });

    const reserving = activities.reserveStock({ orderId: order.orderId, lines: [{ sku: 'NO-SUCH-SKU', quantity: 1 }] });

    await expect(reserving).rejects.toMatchObject({ type: 'InvalidOrder', nonRetryable: true });
    expect((await orderRow(db, order.orderId)).status).toBe('PENDING');
  });

  it('pass any other error on as it is, for the retry policy to judge', async () => {
    const outage = new Error('connection refused');
    const wrapped = rejectingBadData({ step: async () => Promise.reject(outage) });

    await expect(wrapped.step()).rejects.toBe(outage);
  });
});
