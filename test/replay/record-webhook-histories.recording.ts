/**
 * Records the webhook dispatcher's histories (`npm run histories:record`, beside the order ones):
 * real dispatchers on the dev server, real deliveries to a receiver in this file.
 * `webhook-v1-retried-then-delivered`: the receiver answers 500 twice, then 200, for one order's events.
 * `webhook-v1-disabled-after-window`: the receiver never accepts; the window passes; the endpoint is disabled.
 * `webhook-v1-replayed`: a replay signal re-sends the events after a position.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../devstack/wait-for.js';
import type { WebhookEndpoint } from '../../src/api/webhooks/index.js';
import { webhookDispatcherWorkflowId } from '../../src/workflows/webhook-messages.js';
import { anOrderRequest, call, waitForOrderStatus } from '../support/api-client.js';
import { startOrderStack, type OrderStack } from '../support/order-stack.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';
import { ENCRYPTED_HISTORY_SUFFIX, writeHistoryFile } from './history-files.js';

const GENERATION = 'webhook-v1';
const CATALOGUE = [{ sku: 'KBD-001', name: 'Mechanical keyboard', unitPrice: 8900, currency: 'USD', stockAvailable: 100 }];

describe(`recording ${GENERATION} dispatcher histories`, () => {
  let stack: OrderStack;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    stack = await startOrderStack({ catalogue: CATALOGUE, webhooks: { timings: { retryWindowMs: 3_000 } } });
  });
  afterAll(async () => {
    await stack.stop();
    await receiver.close();
  });

  const register = async (eventTypes: string[]) => (await call<WebhookEndpoint>(stack.apiUrl, 'POST', '/webhook-endpoints', { url: receiver.url, eventTypes })).body;
  const handle = (endpointId: string) => stack.temporal.workflow.getHandle(webhookDispatcherWorkflowId(endpointId));
  const record = async (endpointId: string, scenario: string) =>
    writeHistoryFile(`${GENERATION}-${scenario}${ENCRYPTED_HISTORY_SUFFIX}`, await handle(endpointId).fetchHistory());
  const placeCompleted = async () => {
    const { body } = await call<{ id: string }>(stack.apiUrl, 'POST', '/orders', anOrderRequest({ items: [{ sku: 'KBD-001', quantity: 1 }] }));
    await waitForOrderStatus(stack.apiUrl, body.id, ['COMPLETED']);
    return body.id;
  };

  it('retried then delivered', async () => {
    receiver.answer = ({ attemptOfEvent }) => (attemptOfEvent <= 2 ? 500 : 200);
    const endpoint = await register(['order.created', 'order.completed']);
    const orderId = await placeCompleted();
    await waitFor('both events accepted', async () => ([...receiver.accepted.values()].filter((e) => e.orderId === orderId).length === 2 ? true : undefined));
    await record(endpoint.id, 'retried-then-delivered');
    await handle(endpoint.id).terminate('recorded');
  });

  it('disabled after the window', async () => {
    receiver.answer = () => 503;
    const endpoint = await register(['order.completed']);
    await placeCompleted();
    const result = await handle(endpoint.id).result();
    expect(result).toEqual({ stopped: 'DISABLED' });
    await record(endpoint.id, 'disabled-after-window');
  });

  it('replayed', async () => {
    receiver.answer = () => 200;
    const endpoint = await register(['order.completed']);
    const orderId = await placeCompleted();
    const event = await waitFor('the first delivery', async () => [...receiver.accepted.values()].find((e) => e.orderId === orderId));
    const before = receiver.requests.length;
    expect((await call(stack.apiUrl, 'POST', `/webhook-endpoints/${endpoint.id}/replay?after=${Number(event.position) - 1}`)).status).toBe(202);
    await waitFor('the replayed delivery', async () => (receiver.requests.slice(before).some((r) => r.body.includes(event.id)) ? true : undefined));
    await record(endpoint.id, 'replayed');
    await handle(endpoint.id).terminate('recorded');
  });
});
