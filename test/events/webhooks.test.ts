import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../devstack/wait-for.js';
import type { WebhookDeliveryList, WebhookEndpoint } from '../../src/api/webhooks/index.js';
import type { OrderEvent } from '../../src/domain/order-events.js';
import { verifyWebhook } from '../../src/platform/webhook-signature.js';
import { anOrderRequest, call, waitForOrderStatus } from '../support/api-client.js';
import { aProduct } from '../support/order-fixtures.js';
import { startOrderStack, type OrderStack } from '../support/order-stack.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';

const keyboard = aProduct({ stockAvailable: 1_000 });
let stack: OrderStack;

beforeAll(async () => {
  stack = await startOrderStack({ catalogue: [keyboard], webhooks: { timings: { retryWindowMs: 4_000 } } });
});
afterAll(() => stack?.stop());

async function registerEndpoint(url: string, eventTypes: string[] = []) {
  const { status, body } = await call<WebhookEndpoint & { secret: string }>(stack.apiUrl, 'POST', '/webhook-endpoints', { url, eventTypes });
  expect(status).toBe(201);
  return body;
}

async function placeCompletedOrder(customerId = 'cus_hooks'): Promise<string> {
  const { body } = await call<{ id: string }>(stack.apiUrl, 'POST', '/orders', anOrderRequest({ customerId, items: [{ sku: keyboard.sku, quantity: 1 }] }));
  await waitForOrderStatus(stack.apiUrl, body.id, ['COMPLETED']);
  return body.id;
}

const eventsOf = (receiver: WebhookReceiver, orderId: string) => [...receiver.accepted.values()].filter((event) => event.orderId === orderId);

describe('webhooks', () => {
  it('delivers every event of an order, in order, each with a signature that verifies against the secret given once', async () => {
    const receiver = await startWebhookReceiver();
    const endpoint = await registerEndpoint(receiver.url);
    expect(endpoint.secret).toMatch(/^whsec_/);
    const listed = await call<WebhookEndpoint>(stack.apiUrl, 'GET', `/webhook-endpoints/${endpoint.id}`);
    expect(listed.body).not.toHaveProperty('secret');

    const orderId = await placeCompletedOrder();
    await waitFor('the completed event to arrive', async () => (eventsOf(receiver, orderId).some((e) => e.type === 'order.completed') ? true : undefined));

    const arrived = receiver.requests.filter((r) => (JSON.parse(r.body) as OrderEvent).orderId === orderId);
    expect(arrived.map((r) => (JSON.parse(r.body) as OrderEvent).type)).toEqual(['order.created', 'order.reserved', 'order.paid', 'order.completed']);
    for (const request of arrived) {
      expect(verifyWebhook(endpoint.secret, request.body, request.headers['webhook-signature'] as string)).toBe(true);
      expect(request.headers['webhook-id']).toBe((JSON.parse(request.body) as OrderEvent).id);
    }
    // Signed over the exact bytes: one changed byte, or another endpoint's secret, does not verify.
    const [first] = arrived;
    expect(verifyWebhook(endpoint.secret, first!.body.replace('"order.created"', '"order.failed"'), first!.headers['webhook-signature'] as string)).toBe(false);
    expect(verifyWebhook('whsec_other', first!.body, first!.headers['webhook-signature'] as string)).toBe(false);
    await receiver.close();
  });

  it('given a receiver that answers 500, 500 and then 200, records exactly one accepted delivery after three attempts', async () => {
    const receiver = await startWebhookReceiver();
    receiver.answer = ({ attemptOfEvent }) => (attemptOfEvent <= 2 ? 500 : 200);
    const endpoint = await registerEndpoint(receiver.url, ['order.created']);
    const { body: order } = await call<{ id: string }>(
      stack.apiUrl,
      'POST',
      '/orders',
      anOrderRequest({ customerId: 'cus_retry', items: [{ sku: keyboard.sku, quantity: 1 }] }),
    );

    const delivery = await waitFor('the delivery to be recorded as DELIVERED', async () => {
      const { body } = await call<WebhookDeliveryList>(stack.apiUrl, 'GET', `/webhook-endpoints/${endpoint.id}/deliveries`);
      const found = body.data.find((d) => d.status === 'DELIVERED');
      return found;
    });
    expect(delivery.attempts).toBe(3);
    expect(delivery.history.map((a) => a.statusCode)).toEqual([500, 500, 200]);
    expect(delivery.nextRetryAt).toBeNull();
    const created = receiver.requests.filter((r) => (JSON.parse(r.body) as OrderEvent).orderId === order.id);
    expect(created.map((r) => r.status)).toEqual([500, 500, 200]);
    expect(receiver.acceptedCount(delivery.eventId)).toBe(1);
    await receiver.close();
  });

  it('shows a failing delivery’s next retry time while it retries, and disables the endpoint after the retry window; the events stay in the feed', async () => {
    const receiver = await startWebhookReceiver();
    receiver.answer = () => 503;
    const endpoint = await registerEndpoint(receiver.url, ['order.created']);
    const { body: order } = await call<{ id: string }>(
      stack.apiUrl,
      'POST',
      '/orders',
      anOrderRequest({ customerId: 'cus_dead', items: [{ sku: keyboard.sku, quantity: 1 }] }),
    );

    const retrying = await waitFor('a pending delivery with a next retry time', async () => {
      const { body } = await call<WebhookDeliveryList>(stack.apiUrl, 'GET', `/webhook-endpoints/${endpoint.id}/deliveries`);
      return body.data.find((d) => d.status === 'PENDING' && d.nextRetryAt !== null);
    });
    expect(retrying.lastStatusCode).toBe(503);
    expect(Date.parse(retrying.nextRetryAt!)).toBeGreaterThan(Date.parse(retrying.history.at(-1)!.attemptedAt));

    // This stack's window is the test's default (a few seconds): past it, the endpoint is disabled.
    const disabled = await waitFor(
      'the endpoint to be disabled',
      async () => {
        const { body } = await call<WebhookEndpoint>(stack.apiUrl, 'GET', `/webhook-endpoints/${endpoint.id}`);
        return body.status === 'DISABLED' ? body : undefined;
      },
      { timeoutMs: 30_000 },
    );
    expect(disabled.disabledReason).toMatch(/retry window/);
    const feed = await call<{ data: OrderEvent[] }>(stack.apiUrl, 'GET', `/events?type=order.created&limit=500`);
    expect(feed.body.data.some((e) => e.orderId === order.id)).toBe(true);
    expect((await call(stack.apiUrl, 'POST', `/webhook-endpoints/${endpoint.id}/replay?after=0`)).status).toBe(409);
    await receiver.close();
  });

  it('replays events after a position to a consumer that lost them', async () => {
    const receiver = await startWebhookReceiver();
    const endpoint = await registerEndpoint(receiver.url, ['order.completed']);
    const orderId = await placeCompletedOrder('cus_replay');
    await waitFor('the first delivery', async () => (eventsOf(receiver, orderId).length === 1 ? true : undefined));
    const completed = eventsOf(receiver, orderId)[0]!;
    const before = receiver.requests.length;

    const replay = await call(stack.apiUrl, 'POST', `/webhook-endpoints/${endpoint.id}/replay?after=${Number(completed.position) - 1}`);
    expect(replay.status).toBe(202);
    await waitFor('the event to arrive again', async () => (receiver.requests.slice(before).some((r) => r.body.includes(completed.id)) ? true : undefined));
    await receiver.close();
  });

  it('refuses endpoints on private addresses, and is the admin’s alone', async () => {
    const refused = await call<{ errors: { pointer: string; detail: string }[] }>(stack.apiUrl, 'POST', '/webhook-endpoints', { url: 'http://169.254.169.254/latest' });
    expect(refused.status).toBe(400);
    expect(refused.body.errors[0]).toMatchObject({ pointer: '/url' });
    expect((await call(stack.apiUrl, 'POST', '/webhook-endpoints', { url: 'http://10.0.0.8/hook' })).status).toBe(400);
    expect((await call(stack.apiUrl, 'POST', '/webhook-endpoints', { url: 'file:///etc/passwd' })).status).toBe(400);
    const customer = { token: stack.customerToken('cus_nosy') };
    expect((await call(stack.apiUrl, 'GET', '/webhook-endpoints', undefined, {}, customer)).status).toBe(403);
    expect((await call(stack.apiUrl, 'POST', '/webhook-endpoints', { url: 'https://example.com/h' }, {}, customer)).status).toBe(403);
  });
});
