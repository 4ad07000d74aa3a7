import { randomUUID } from 'node:crypto';
import { Client } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderSummary } from '../../src/api/orders/index.js';
import { orderWorkflowId } from '../../src/domain/order.js';
import type { OrderWorkflowInput } from '../../src/workflows/messages.js';
import { historyToJson } from '../replay/history-json.js';
import { anOrderRequest, call } from '../support/api-client.js';
import { startOrderStack, type OrderStack } from '../support/order-stack.js';
import { testPayloadCodec } from '../support/payload-codec.js';
import { payloadBytesAsText, withoutSearchAttributes } from '../support/payload-text.js';

const CATALOGUE = [{ sku: 'KBD-001', name: 'Mechanical keyboard', unitPrice: 8900, currency: 'USD', stockAvailable: 10 }];

describe("an order's history, as Temporal stores it, holds no payment token and no customer data in plain text", () => {
  // Values of this run's own, so a match can only come from this order's history.
  const paymentToken = `tok_visa_${randomUUID().slice(0, 8)}`;
  const customerId = `cus_enc_${randomUUID().slice(0, 8)}`;
  let stack: OrderStack;
  let order: OrderSummary;
  let rawHistory: string;

  beforeAll(async () => {
    stack = await startOrderStack({ catalogue: CATALOGUE });
    ({ body: order } = await call<OrderSummary>(stack.apiUrl, 'POST', '/orders', { ...anOrderRequest({ customerId }), paymentToken }));
    await stack.temporal.workflow.getHandle(orderWorkflowId(order.id)).result();
    // Read as anyone with access to the namespace reads it: a client with no codec.
    const withoutCodec = new Client({ connection: stack.temporal.connection });
    rawHistory = historyToJson(await withoutCodec.workflow.getHandle(orderWorkflowId(order.id)).fetchHistory());
  });
  afterAll(() => stack?.stop());

  it('has the payment token nowhere: not in the JSON, not in any payload', () => {
    expect(rawHistory).not.toContain(paymentToken);
    expect(payloadBytesAsText(JSON.parse(rawHistory))).not.toContain(paymentToken);
    expect(rawHistory).toContain('YmluYXJ5L2VuY3J5cHRlZA=='); // base64 of binary/encrypted: the payloads are there
  });

  it('has the customer ID only in the search attributes, which are plain text by design (README)', () => {
    const rest = JSON.stringify(withoutSearchAttributes(JSON.parse(rawHistory)));
    expect(rawHistory).toContain(Buffer.from(JSON.stringify(customerId)).toString('base64'));
    expect(`${rest}\n${payloadBytesAsText(JSON.parse(rest))}`).not.toContain(customerId);
  });

  it('decrypts with the key into the input the API sent, token included', async () => {
    const started = (
      JSON.parse(rawHistory) as { events: { workflowExecutionStartedEventAttributes?: { input: { payloads: { metadata: Record<string, string>; data: string }[] } } }[] }
    ).events[0]!.workflowExecutionStartedEventAttributes!.input.payloads[0]!;
    const [decoded] = await testPayloadCodec.decode([
      {
        metadata: Object.fromEntries(Object.entries(started.metadata).map(([key, value]) => [key, Buffer.from(value, 'base64')])),
        data: Buffer.from(started.data, 'base64'),
      },
    ]);
    expect(defaultPayloadConverter.fromPayload<OrderWorkflowInput>(decoded!)).toMatchObject({ orderId: order.id, customerId, paymentToken });
  });
});
