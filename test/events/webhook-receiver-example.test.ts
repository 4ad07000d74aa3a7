import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../devstack/wait-for.js';
import { createWebhookReceiver, verifyWebhookSignature, type OrderEvent } from '../../examples/webhook-receiver.js';
import type { WebhookEndpoint } from '../../src/api/webhooks/index.js';
import { signWebhook } from '../../src/platform/webhook-signature.js';
import { anOrderRequest, call, waitForOrderStatus } from '../support/api-client.js';
import { aProduct } from '../support/order-fixtures.js';
import { startOrderStack, type OrderStack } from '../support/order-stack.js';

const keyboard = aProduct();
let stack: OrderStack;

beforeAll(async () => {
  stack = await startOrderStack({ catalogue: [keyboard], webhooks: {} });
});
afterAll(() => stack?.stop());

describe('examples/webhook-receiver.ts', () => {
  it('accepts what the service signs, and refuses a tampered body, another secret and a stale timestamp', () => {
    const body = JSON.stringify({ id: 'e1', type: 'order.paid' });
    const header = signWebhook('whsec_a', body);
    expect(verifyWebhookSignature('whsec_a', body, header)).toBe(true);
    expect(verifyWebhookSignature('whsec_a', body.replace('paid', 'refunded'), header)).toBe(false);
    expect(verifyWebhookSignature('whsec_b', body, header)).toBe(false);
    expect(verifyWebhookSignature('whsec_a', body, signWebhook('whsec_a', body, Math.floor(Date.now() / 1000) - 3600))).toBe(false);
    expect(verifyWebhookSignature('whsec_a', body, undefined)).toBe(false);
    expect(verifyWebhookSignature('whsec_a', body, 't=1,v1=zz')).toBe(false);
  });

  it('receives a real order’s events from the running service, each once', async () => {
    let secret = '';
    const handled: OrderEvent[] = [];
    // The secret is issued when the endpoint is registered, after the receiver is listening.
    const live = createWebhookReceiver(
      () => secret,
      async (event) => void handled.push(event),
    );
    await new Promise<void>((resolve) => live.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(live.address() as AddressInfo).port}/`;
    const { body: endpoint } = await call<WebhookEndpoint & { secret: string }>(stack.apiUrl, 'POST', '/webhook-endpoints', { url });
    secret = endpoint.secret;
    const { body: order } = await call<{ id: string }>(stack.apiUrl, 'POST', '/orders', anOrderRequest({ items: [{ sku: keyboard.sku, quantity: 1 }] }));
    await waitForOrderStatus(stack.apiUrl, order.id, ['COMPLETED']);
    await waitFor('the receiver to handle all four events', async () => (handled.filter((e) => e.orderId === order.id).length === 4 ? true : undefined));
    expect(handled.filter((e) => e.orderId === order.id).map((e) => e.type)).toEqual(['order.created', 'order.reserved', 'order.paid', 'order.completed']);
    await new Promise((resolve) => live.close(resolve));
  });
});
