import { Runtime } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderSummary } from '../../src/api/orders/index.js';
import { orderWorkflowId } from '../../src/domain/order.js';
import { createLogger } from '../../src/platform/logger.js';
import { waitFor } from '../../devstack/wait-for.js';
import { installRuntime } from '../../src/worker/runtime.js';
import { anOrderRequest, call } from '../support/api-client.js';
import { TEST_GATEWAY_SECRETS } from '../support/gateway-simulator.js';
import { startOrderStack, type OrderStack } from '../support/order-stack.js';
import { productionWorker } from './support/production-worker.js';

const CATALOGUE = [
  { sku: 'KBD-001', name: 'Mechanical keyboard', unitPrice: 8900, currency: 'USD', stockAvailable: 50 },
  { sku: 'MSE-001', name: 'Wireless mouse', unitPrice: 2900, currency: 'USD', stockAvailable: 50 },
];
/** The gateway charges any `tok_` token; this one is distinctive enough to find anywhere it leaks. */
const SECRET_TOKEN = 'tok_visa_SECRET123';
const REQUEST_ID = 'req-7f3a-checkout';
/** A bearer token nobody was given: a refused request must not log what it presented either. */
const WRONG_BEARER = 'wrong_bearer_SECRET456';
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';

type Line = Record<string, unknown> & { msg?: string; service?: string; requestId?: string; orderId?: string; activityType?: string; workflowId?: string };

/**
 * Everything the API and the worker log during a run goes into one capture, as two processes'
 * stdout would go into one log pipeline: the API's request logs, the worker's own, and the SDK's
 * (runtime, workflow `log`, activity `log`) routed into pino by the Runtime.
 */
describe('structured logs of an order, from the API request to the last activity', () => {
  const output: string[] = [];
  const destination = { write: (chunk: string) => void output.push(chunk) };
  let stack: OrderStack;
  let orderId: string;
  let tracedOrderId: string;
  const lines = () => output.join('').split('\n').filter(Boolean);
  const entries = () => lines().map((line) => JSON.parse(line) as Line);

  beforeAll(async () => {
    // As src/worker/main.ts: the Runtime sends the SDK's logs into the worker's pino logger.
    installRuntime({ logger: createLogger({ name: 'worker', level: 'debug', pretty: false, destination }) });
    stack = await startOrderStack({
      catalogue: CATALOGUE,
      logger: createLogger({ name: 'api', level: 'debug', pretty: false, destination }),
      createWorker: productionWorker(),
    });

    // The gateway is down at first, so the charge fails and retries: failures are logged too.
    await stack.gateway.setFaults({ failureRate: 1 });
    const request = anOrderRequest({
      customerId: 'cus_logs',
      items: [
        { sku: 'KBD-001', quantity: 1 },
        { sku: 'MSE-001', quantity: 1 },
      ],
      paymentToken: SECRET_TOKEN,
    });
    const accepted = await call<OrderSummary>(stack.apiUrl, 'POST', '/orders', request, { 'x-request-id': REQUEST_ID });
    expect(accepted.status).toBe(202);
    orderId = accepted.body.id;
    await waitFor('a failed charge attempt in the log', async () =>
      entries().some((e) => e.activityType === 'chargePayment' && e.msg === 'Activity failed') ? true : undefined,
    );
    await stack.gateway.setFaults({ failureRate: 0 });
    expect(await stack.temporal.workflow.getHandle(orderWorkflowId(orderId)).result()).toMatchObject({ status: 'COMPLETED' });

    // A caller that sends only a W3C traceparent: its trace id becomes the request id.
    const traced = await call<OrderSummary>(stack.apiUrl, 'POST', '/orders', anOrderRequest({ customerId: 'cus_logs' }), {
      traceparent: `00-${TRACE_ID}-00f067aa0ba902b7-01`,
    });
    tracedOrderId = traced.body.id;
    await stack.temporal.workflow.getHandle(orderWorkflowId(tracedOrderId)).result();

    // A customer's own order, and a request with a token nobody was given.
    const own = await call<OrderSummary>(
      stack.apiUrl,
      'POST',
      '/orders',
      { items: [{ sku: 'KBD-001', quantity: 1 }] },
      {},
      { token: stack.customerToken('cus_logs_own') },
    );
    await stack.temporal.workflow.getHandle(orderWorkflowId(own.body.id)).result();
    expect((await call(stack.apiUrl, 'GET', '/orders', undefined, {}, { token: WRONG_BEARER })).status).toBe(401);
    // The Runtime buffers the SDK's lines briefly, to emit them in time order: take them all now.
    Runtime.instance().flushLogs();
  });
  afterAll(() => stack?.stop());

  it('writes every line as one JSON object', () => {
    expect(lines().length).toBeGreaterThan(20);
    for (const line of lines()) expect(() => JSON.parse(line), line).not.toThrow();
  });

  it('never writes the payment token, a bearer token or a gateway secret, in any line of any component', () => {
    const everything = output.join('');
    expect(everything).not.toContain(SECRET_TOKEN);
    expect(everything).not.toContain('SECRET123');
    for (const secret of [stack.adminToken, stack.customerToken('cus_logs_own'), WRONG_BEARER, 'SECRET456', TEST_GATEWAY_SECRETS.signing, TEST_GATEWAY_SECRETS.admin]) {
      expect(everything).not.toContain(secret);
    }
    // Who called is logged, by role and subject.
    expect(entries().some((e) => e.msg === 'Order accepted' && e.principal === 'customer:cus_logs_own')).toBe(true);
    // …and the log is not empty of the order's story: it was there to leak into.
    expect(everything).toContain(orderId);
  });

  it('tells the whole story under the request id: the API request, the workflow and every activity', () => {
    const story = entries().filter((e) => e.requestId === REQUEST_ID);
    expect(story.filter((e) => e.service === 'api').map((e) => e.msg)).toEqual(expect.arrayContaining(['request', 'Order accepted']));
    expect(story.find((e) => e.msg === 'Order accepted')).toMatchObject({ orderId });
    expect(story.some((e) => e.service === 'worker' && e.workflowId === orderWorkflowId(orderId) && !e.activityType)).toBe(true);
    const activities = new Set(story.flatMap((e) => (e.activityType ? [e.activityType] : [])));
    expect([...activities]).toEqual(expect.arrayContaining(['reserveStock', 'chargePayment', 'confirmOrder', 'notifyCustomer']));
  });

  it('puts the order id, request id, workflow id, run id, activity type and attempt on every activity line', () => {
    const activityLines = entries().filter((e) => e.activityType && e.workflowId === orderWorkflowId(orderId));
    expect(activityLines.length).toBeGreaterThan(8);
    for (const line of activityLines) {
      expect(line).toMatchObject({ orderId, runId: expect.any(String), attempt: expect.any(Number) });
      expect(line).not.toHaveProperty('taskToken');
      // The SDK writes its "Activity started" before it hands the activity its headers, where the request id travels.
      if (line.msg !== 'Activity started') expect(line).toMatchObject({ requestId: REQUEST_ID });
    }
    // The retried charge is told apart by its attempt number.
    const charges = activityLines.filter((e) => e.activityType === 'chargePayment');
    expect(new Set(charges.map((e) => e.attempt)).size).toBeGreaterThan(1);
    expect(activityLines.filter((e) => e.msg === 'Payment charged')).toEqual([expect.objectContaining({ sdkComponent: 'activity', activityType: 'chargePayment' })]);
  });

  it('finds the same story with one grep for the order id', () => {
    const mentioning = lines()
      .filter((line) => line.includes(orderId))
      .map((line) => JSON.parse(line) as Line);
    expect(mentioning.some((e) => e.service === 'api' && e.msg === 'Order accepted')).toBe(true);
    expect(mentioning.some((e) => e.service === 'worker' && !e.activityType)).toBe(true);
    expect(mentioning.filter((e) => e.activityType).length).toBeGreaterThan(8);
  });

  it('takes the request id from an incoming traceparent when there is no X-Request-Id, and carries it to the activities', () => {
    const activityLines = entries().filter((e) => e.activityType && e.workflowId === orderWorkflowId(tracedOrderId));
    expect(activityLines.length).toBeGreaterThan(0);
    for (const line of activityLines) expect(line).toMatchObject({ orderId: tracedOrderId, ...(line.msg === 'Activity started' ? {} : { requestId: TRACE_ID }) });
    expect(entries().find((e) => e.msg === 'Order accepted' && e.orderId === tracedOrderId)).toMatchObject({ requestId: TRACE_ID });
  });
});
