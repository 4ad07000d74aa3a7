import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { and, eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.js';
import { aPendingOrder, aProduct, insertProducts, type PendingOrder } from '../../test/support/order-fixtures.js';
import { notifications } from '../db/schema.js';
import type { NotificationKind } from '../domain/order.js';
import { createLogger } from '../platform/logger.js';
import { createNotificationActivities, type NotifyCustomerInput } from './notifications.js';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase('notifications');
});
afterAll(() => database.drop());

/** A logger that writes JSON lines into memory, so a test can read what was logged. */
function aCapturedLogger() {
  const lines: string[] = [];
  const logger = createLogger({ name: 'notifications-test', destination: { write: (line: string) => void lines.push(line) } });
  return { logger, entries: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

interface ReceivedCall {
  headers: IncomingHttpHeaders;
  body: unknown;
}

/** A customer's webhook on a free loopback port that answers 500 to its first `failing` calls. */
async function aWebhookReceiver({ failing = 0 } = {}) {
  const received: ReceivedCall[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ headers: request.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown });
      response.statusCode = received.length <= failing ? 500 : 204;
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/notify`,
    received,
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

async function anOrderFor2Keyboards(): Promise<PendingOrder> {
  const [keyboard] = await insertProducts(database.db, aProduct({ unitPrice: 8900 }));
  return aPendingOrder(database.db, { lines: [{ product: keyboard, quantity: 2 }], customerId: 'cus_ada' });
}

const confirmation = (order: PendingOrder, kind: NotificationKind = 'ORDER_CONFIRMED'): NotifyCustomerInput => ({
  orderId: order.orderId,
  customerId: order.customerId,
  kind,
  total: order.total,
});

async function notificationRows(orderId: string, kind: NotificationKind) {
  return database.db
    .select()
    .from(notifications)
    .where(and(eq(notifications.orderId, orderId), eq(notifications.kind, kind)));
}

describe('notifyCustomer, logging to the log channel', () => {
  it('tells the customer once when the notification runs twice', async () => {
    const { logger, entries } = aCapturedLogger();
    const { notifyCustomer } = createNotificationActivities({ db: database.db, logger });
    const order = await anOrderFor2Keyboards();

    const first = await notifyCustomer(confirmation(order));
    const second = await notifyCustomer(confirmation(order));

    expect([first, second]).toEqual([{ delivered: true }, { delivered: false }]);
    const rows = await notificationRows(order.orderId, 'ORDER_CONFIRMED');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ channel: 'log', deliveredAt: expect.any(Date) });
    expect(entries().filter((entry) => entry.msg === 'Notified customer cus_ada: ORDER_CONFIRMED')).toHaveLength(1);
  });

  it('tells the customer once when two executions race, and logs it once as JSON', async () => {
    const { logger, entries } = aCapturedLogger();
    const { notifyCustomer } = createNotificationActivities({ db: database.db, logger });
    const order = await anOrderFor2Keyboards();

    const results = await Promise.all([notifyCustomer(confirmation(order)), notifyCustomer(confirmation(order))]);

    expect(results.filter((r) => r.delivered)).toHaveLength(1);
    expect(await notificationRows(order.orderId, 'ORDER_CONFIRMED')).toHaveLength(1);
    const logged = entries().filter((entry) => (entry.notification as { orderId?: string } | undefined)?.orderId === order.orderId);
    expect(logged).toEqual([
      expect.objectContaining({
        level: 'info',
        service: 'notifications-test',
        msg: 'Notified customer cus_ada: ORDER_CONFIRMED',
        notification: { ...confirmation(order), channel: 'log' },
      }),
    ]);
  });

  it('tells the customer about each kind of news once: a failure after a confirmation is news', async () => {
    const { logger } = aCapturedLogger();
    const { notifyCustomer } = createNotificationActivities({ db: database.db, logger });
    const order = await anOrderFor2Keyboards();

    expect(await notifyCustomer(confirmation(order, 'ORDER_CONFIRMED'))).toEqual({ delivered: true });
    expect(await notifyCustomer({ ...confirmation(order, 'ORDER_FAILED'), reason: 'PAYMENT_DECLINED' })).toEqual({ delivered: true });
  });
});

describe('notifyCustomer, posting to a webhook', () => {
  let receiver: Awaited<ReturnType<typeof aWebhookReceiver>> | undefined;
  afterEach(async () => {
    await receiver?.close();
    receiver = undefined;
  });

  it('throws while the webhook answers 500, then delivers on the retry with an Idempotency-Key', async () => {
    receiver = await aWebhookReceiver({ failing: 1 });
    const { logger, entries } = aCapturedLogger();
    const { notifyCustomer } = createNotificationActivities({ db: database.db, logger, webhookUrl: receiver.url });
    const order = await anOrderFor2Keyboards();

    await expect(notifyCustomer(confirmation(order))).rejects.toThrow(/webhook answered 500/);
    expect(await notificationRows(order.orderId, 'ORDER_CONFIRMED')).toMatchObject([{ channel: 'webhook', deliveredAt: null }]);
    expect(entries()).toEqual([]);

    expect(await notifyCustomer(confirmation(order))).toEqual({ delivered: true });

    expect(await notificationRows(order.orderId, 'ORDER_CONFIRMED')).toMatchObject([{ channel: 'webhook', deliveredAt: expect.any(Date) }]);
    expect(receiver.received).toHaveLength(2);
    for (const call of receiver.received) {
      expect(call.headers['idempotency-key']).toBe(`${order.orderId}:ORDER_CONFIRMED`);
      expect(call.body).toEqual(confirmation(order));
    }
    expect(entries()).toHaveLength(1);
  });

  it('does not post again once the webhook has taken the notification', async () => {
    receiver = await aWebhookReceiver();
    const { logger } = aCapturedLogger();
    const { notifyCustomer } = createNotificationActivities({ db: database.db, logger, webhookUrl: receiver.url });
    const order = await anOrderFor2Keyboards();

    await notifyCustomer(confirmation(order));
    await notifyCustomer(confirmation(order));

    expect(receiver.received).toHaveLength(1);
  });
});
