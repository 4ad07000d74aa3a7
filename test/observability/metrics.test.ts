import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderSummary } from '../../src/api/orders/index.js';
import { orderWorkflowId } from '../../src/domain/order.js';
import { taskQueueFor } from '../../src/domain/task-queues.js';
import { serveMetrics, type MetricsServer } from '../../src/observability/metrics-server.js';
import { createApiMetrics } from '../../src/observability/api-metrics.js';
import { createWorkerMetrics } from '../../src/worker/metrics.js';
import { TEST_TOKENS } from '../../src/payments/contract.js';
import { freePort } from '../../devstack/free-port.js';
import { createLogger } from '../../src/platform/logger.js';
import { waitFor } from '../../devstack/wait-for.js';
import { installRuntime } from '../../src/worker/runtime.js';
import { anOrderRequest, call, waitForOrderStatus } from '../support/api-client.js';
import { startOrderStack, type OrderStack } from '../support/order-stack.js';
import { productionWorker } from './support/production-worker.js';
import { scrape, type Metrics } from './support/scrape.js';
import { dashboardMetricNames, loadDashboard } from './support/dashboard.js';

const CATALOGUE = [
  { sku: 'KBD-001', name: 'Mechanical keyboard', unitPrice: 8900, currency: 'USD', stockAvailable: 50 },
  { sku: 'MSE-001', name: 'Wireless mouse', unitPrice: 2900, currency: 'USD', stockAvailable: 50 },
  { sku: 'LTD-001', name: 'Limited edition desk mat', unitPrice: 4500, currency: 'USD', stockAvailable: 1 },
];
const FINAL = ['COMPLETED', 'FAILED', 'CANCELLED'] as const;
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

/**
 * One process, set up as the worker's entry point sets itself up: the Runtime with the SDK's
 * Prometheus exporter, the production worker, and the worker's registry on an HTTP port of its own.
 */
describe('metrics after a day of orders: two completed (one after payment retries), one declined, one out of stock, one cancelled', () => {
  let stack: OrderStack;
  let workerMetricsServer: MetricsServer;
  let sdkMetricsUrl: string;
  let api: Metrics;
  let worker: Metrics;
  let sdk: Metrics;

  beforeAll(async () => {
    const sdkPort = await freePort();
    installRuntime({ logger: createLogger({ name: 'metrics-test', level: 'silent', pretty: false }), sdkMetricsAddress: `127.0.0.1:${sdkPort}` });
    sdkMetricsUrl = `http://127.0.0.1:${sdkPort}/metrics`;
    const workerMetrics = createWorkerMetrics();
    workerMetricsServer = await serveMetrics(workerMetrics.registry, { host: '127.0.0.1', port: 0 });
    stack = await startOrderStack({ catalogue: CATALOGUE, workerMetrics, api: { metrics: createApiMetrics() }, createWorker: productionWorker() });

    const place = (request: ReturnType<typeof anOrderRequest>, headers?: Record<string, string>) => call<OrderSummary>(stack.apiUrl, 'POST', '/orders', request, headers);
    const placed = new Set<string>();
    const settled = async (order: { body: OrderSummary }) => {
      placed.add(order.body.id);
      return waitForOrderStatus(stack.apiUrl, order.body.id, [...FINAL]);
    };

    // Completed, and its retried POST (same Idempotency-Key) is the same order, not a second one.
    const first = anOrderRequest({
      customerId: 'cus_metrics',
      items: [
        { sku: 'KBD-001', quantity: 1 },
        { sku: 'MSE-001', quantity: 2 },
      ],
    });
    const completed = await place(first, { 'idempotency-key': 'metrics-first' });
    await place(first, { 'idempotency-key': 'metrics-first' });
    expect((await settled(completed)).status).toBe('COMPLETED');

    // Completed within Prefer: wait, answered 200 rather than 202: still one accepted order.
    const waited = await place(anOrderRequest({ customerId: 'cus_metrics' }), { prefer: 'wait=10' });
    expect(waited.status).toBe(200);
    expect((await settled(waited)).status).toBe('COMPLETED');

    // Completed after the gateway failed at least twice.
    await stack.gateway.setFaults({ failureRate: 1 });
    const retried = await place(anOrderRequest({ customerId: 'cus_metrics' }));
    await waitFor('two failed charge attempts', async () =>
      (await scrape(workerMetricsServer.url)).value('payment_attempts_total', { outcome: 'unavailable' }) >= 2 ? true : undefined,
    );
    await stack.gateway.setFaults({ failureRate: 0 });
    expect((await settled(retried)).status).toBe('COMPLETED');

    const declined = await place(anOrderRequest({ customerId: 'cus_metrics', items: [{ sku: 'MSE-001', quantity: 1 }], paymentToken: TEST_TOKENS.declined }));
    expect(await settled(declined)).toMatchObject({ status: 'FAILED', failureReason: 'PAYMENT_DECLINED' });

    const tooMany = await place(anOrderRequest({ customerId: 'cus_metrics', items: [{ sku: 'LTD-001', quantity: 2 }] }));
    expect(await settled(tooMany)).toMatchObject({ status: 'FAILED', failureReason: 'OUT_OF_STOCK' });

    // Cancelled while the gateway is down and the charge retrying: the refund (a void, as nothing
    // was charged) waits for the gateway to return.
    await stack.gateway.setFaults({ failureRate: 1 });
    const cancelled = await place(anOrderRequest({ customerId: 'cus_metrics' }));
    const handle = stack.temporal.workflow.getHandle(orderWorkflowId(cancelled.body.id));
    const pendingActivities = async () => ((await handle.describe()).raw.pendingActivities ?? []).map((a) => `${a.activityType?.name}#${a.attempt}`);
    await waitFor('the charge to be retrying', async () => {
      const pending = await pendingActivities();
      if (pending.some((a) => /^chargePayment#([2-9]|\d\d)/.test(a))) return true;
      throw new Error(`pending: ${pending.join(', ') || 'none'}`);
    });
    const cancelling = call(stack.apiUrl, 'POST', `/orders/${cancelled.body.id}/cancel`, { reason: 'changed my mind' });
    // Heal only once the charge can no longer run, so that nothing is ever charged for this order.
    await waitFor('the charge to be cancelled and the refund to be pending', async () => {
      const pending = await pendingActivities();
      if (pending.length === 1 && pending[0]!.startsWith('refundPayment#')) return true;
      throw new Error(`pending: ${pending.join(', ') || 'none'}`);
    });
    await stack.gateway.setFaults({ failureRate: 0 });
    expect((await cancelling).status).toBe(200);
    expect((await settled(cancelled)).status).toBe('CANCELLED');

    // Two refusals: an empty order, and a SKU the catalogue does not have.
    expect((await place({ customerId: 'cus_metrics', items: [] })).status).toBe(400);
    expect((await place(anOrderRequest({ customerId: 'cus_metrics', items: [{ sku: 'NOPE-1', quantity: 1 }] }))).status).toBe(400);

    // The workflows run on past the final status (the customer is told last): let them end before counting.
    await Promise.all([...placed].map((id) => stack.temporal.workflow.getHandle(orderWorkflowId(id)).result()));
    [api, worker, sdk] = await Promise.all([scrape(stack.apiMetricsUrl), scrape(workerMetricsServer.url), scrape(sdkMetricsUrl)]);
  });
  afterAll(async () => {
    await stack?.stop();
    await workerMetricsServer?.close();
  });

  it('API: counts accepted orders once (not the idempotent replay) and rejections by reason', () => {
    expect(api.value('orders_total', { outcome: 'accepted' })).toBe(6);
    expect(api.value('orders_total', { outcome: 'rejected', reason: 'validation-error' })).toBe(2);
    expect(api.matching('orders_total').map((s) => s.labels)).toHaveLength(2);
  });

  it('API: times requests by route template, method and status, never by a raw order id', () => {
    expect(api.value('http_request_duration_seconds_count', { route: '/orders', method: 'POST', status: '202' })).toBe(6);
    expect(api.value('http_request_duration_seconds_count', { route: '/orders', method: 'POST', status: '200' })).toBe(1);
    expect(api.value('http_request_duration_seconds_count', { route: '/orders', method: 'POST', status: '400' })).toBe(2);
    expect(api.value('http_request_duration_seconds_count', { route: '/orders/:id/cancel', method: 'POST', status: '200' })).toBe(1);
    expect(api.value('http_request_duration_seconds_count', { route: '/orders/:id', method: 'GET', status: '200' })).toBeGreaterThan(0);
    const routes = new Set(api.matching('http_request_duration_seconds_count').map((s) => s.labels.route));
    expect([...routes].filter((route) => UUID.test(route ?? ''))).toEqual([]);
  });

  it('API: exports the default process metrics', () => {
    expect(api.value('process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(api.value('nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
  });

  it('worker: counts each order once by its final status, with the failure reasons', () => {
    expect(worker.value('orders_completed_total')).toBe(3);
    expect(worker.value('orders_cancelled_total')).toBe(1);
    expect(worker.value('orders_failed_total', { reason: 'PAYMENT_DECLINED' })).toBe(1);
    expect(worker.value('orders_failed_total', { reason: 'OUT_OF_STOCK' })).toBe(1);
    expect(worker.sum('orders_failed_total')).toBe(2);
    expect(worker.value('order_duration_seconds_count', { status: 'COMPLETED' })).toBe(3);
    expect(worker.value('order_duration_seconds_count', { status: 'FAILED' })).toBe(2);
    expect(worker.value('order_duration_seconds_count', { status: 'CANCELLED' })).toBe(1);
    expect(worker.value('order_duration_seconds_sum', { status: 'COMPLETED' })).toBeGreaterThan(0);
  });

  it('worker: counts the compensations that ran, by step and outcome', () => {
    // The declined and the cancelled orders gave their stock back; the out-of-stock one held none to give,
    // and still ran its release, in case a stalled attempt lands later. The declined order's charge key was voided too.
    expect(worker.value('orders_compensations_total', { step: 'releaseStock', outcome: 'released' })).toBe(2);
    expect(worker.value('orders_compensations_total', { step: 'releaseStock', outcome: 'nothing_held' })).toBe(1);
    expect(worker.value('orders_compensations_total', { step: 'refundPayment', outcome: 'voided' })).toBe(2);
    expect(worker.value('orders_compensations_total', { step: 'refundPayment', outcome: 'refunded' })).toBe(0);
  });

  it('worker: counts every charge attempt by outcome, and agrees with the SDK about the failed ones', () => {
    expect(worker.value('payment_attempts_total', { outcome: 'succeeded' })).toBe(3);
    expect(worker.value('payment_attempts_total', { outcome: 'declined' })).toBe(1);
    const unavailable = worker.value('payment_attempts_total', { outcome: 'unavailable' });
    expect(unavailable).toBeGreaterThanOrEqual(2);
    // The charge runs on the payments queue, named after the stack's orders queue.
    expect(sdk.sum('temporal_activity_execution_failed_total', { activity_type: 'chargePayment', task_queue: taskQueueFor('payments', stack.taskQueue) })).toBe(
      unavailable + 1,
    );
  });

  it("SDK: the runtime's Prometheus exporter reports the worker's workflows, activities and slots", () => {
    expect(sdk.sum('temporal_workflow_completed_total', { workflow_type: 'orderWorkflow', task_queue: stack.taskQueue })).toBe(6);
    expect(sdk.sum('temporal_activity_execution_latency_seconds_count', { activity_type: 'confirmOrder', task_queue: stack.taskQueue })).toBe(3);
    expect(sdk.matching('temporal_worker_task_slots_available', { task_queue: stack.taskQueue }).length).toBeGreaterThan(0);
  });

  it('the Grafana dashboard queries only metrics that the API, the worker and the SDK really export', async () => {
    const exported = new Set([...api.names(), ...worker.names(), ...sdk.names()]);
    const queried = dashboardMetricNames(await loadDashboard());
    expect(queried.size).toBeGreaterThan(8);
    expect([...queried].filter((name) => !exported.has(name))).toEqual([]);
  });
});
