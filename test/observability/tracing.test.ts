import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { bundleWorkflowCode } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderSummary } from '../../src/api/orders/index.js';
import { orderWorkflowId } from '../../src/domain/order.js';
import { startTracing } from '../../src/observability/tracing.js';
import { createLogger } from '../../src/platform/logger.js';
import { waitFor } from '../../devstack/wait-for.js';
import { WORKFLOW_INTERCEPTOR_MODULES, WORKFLOWS_PATH } from '../../src/worker/order-worker.js';
import { installRuntime } from '../../src/worker/runtime.js';
import { anOrderRequest, call } from '../support/api-client.js';
import { startOrderStack, type OrderStack } from '../support/order-stack.js';
import { productionWorker } from './support/production-worker.js';

const CATALOGUE = [{ sku: 'KBD-001', name: 'Mechanical keyboard', unitPrice: 8900, currency: 'USD', stockAvailable: 50 }];
/** The caller's own trace: the whole order must join it. */
const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const CALLER_SPAN_ID = 'b7ad6b7169203331';
const quietBundler = { log() {}, trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error };

const spanId = (span: ReadableSpan) => span.spanContext().spanId;
const traceId = (span: ReadableSpan) => span.spanContext().traceId;

describe('one trace from the HTTP request to every activity attempt', () => {
  const exporter = new InMemorySpanExporter();
  let stack: OrderStack;
  let spans: ReadableSpan[];

  /** The one finished span with this name that is a child of `parent`. */
  function childOf(parent: ReadableSpan, name: string): ReadableSpan {
    const found = spans.filter((span) => span.name === name && span.parentSpanId === spanId(parent));
    expect(
      found.map((s) => s.name),
      `children of ${parent.name} named ${name}`,
    ).toEqual([name]);
    return found[0]!;
  }

  beforeAll(async () => {
    installRuntime({ logger: createLogger({ name: 'tracing-test', level: 'silent', pretty: false }) });
    const processor = new SimpleSpanProcessor(exporter);
    const tracing = startTracing({ serviceName: 'orders-test', spanProcessor: processor });
    // The run's shared bundle has no tracing: this file bundles the workflows with the OpenTelemetry interceptors, as a traced worker does.
    const { code } = await bundleWorkflowCode({
      workflowsPath: WORKFLOWS_PATH,
      workflowInterceptorModules: [...WORKFLOW_INTERCEPTOR_MODULES, ...tracing.worker.workflowModules],
      logger: quietBundler,
    });
    stack = await startOrderStack({
      catalogue: CATALOGUE,
      api: { httpTracing: tracing.httpMiddleware },
      clientInterceptors: tracing.clientInterceptors,
      createWorker: productionWorker({ tracing: tracing.worker, workflowBundle: { code } }),
    });

    // The gateway fails the first charge attempts, so the charge has several attempts to trace.
    await stack.gateway.setFaults({ failureRate: 1 });
    const accepted = await call<OrderSummary>(stack.apiUrl, 'POST', '/orders', anOrderRequest({ customerId: 'cus_traced' }), {
      traceparent: `00-${TRACE_ID}-${CALLER_SPAN_ID}-01`,
    });
    expect(accepted.status).toBe(202);
    await waitFor('a failed charge attempt', async () => (exporter.getFinishedSpans().some((s) => s.name === 'RunActivity:chargePayment') ? true : undefined));
    await stack.gateway.setFaults({ failureRate: 0 });
    await stack.temporal.workflow.getHandle(orderWorkflowId(accepted.body.id)).result();
    // Workflow spans leave the sandbox through a sink after the workflow task completes.
    await waitFor('the workflow run span', async () => (exporter.getFinishedSpans().some((s) => s.name === 'RunWorkflow:orderWorkflow') ? true : undefined));
    await processor.forceFlush();
    spans = exporter.getFinishedSpans().filter((span) => traceId(span) === TRACE_ID);
  });
  afterAll(() => stack?.stop());

  it("opens the request's span under the caller's, named by route", () => {
    const request = spans.find((span) => span.name === 'POST /orders');
    expect(request).toMatchObject({
      kind: SpanKind.SERVER,
      parentSpanId: CALLER_SPAN_ID,
      attributes: expect.objectContaining({ 'http.route': '/orders', 'http.response.status_code': 202 }),
    });
  });

  it('chains HTTP request → StartWorkflow → RunWorkflow → StartActivity → RunActivity, per activity', () => {
    const request = spans.find((span) => span.name === 'POST /orders')!;
    const start = childOf(request, 'StartWorkflow:orderWorkflow');
    const run = childOf(start, 'RunWorkflow:orderWorkflow');
    for (const activity of ['reserveStock', 'screenForFraud', 'chargePayment', 'confirmOrder', 'notifyCustomer']) {
      const scheduled = childOf(run, `StartActivity:${activity}`);
      expect(spans.filter((span) => span.name === `RunActivity:${activity}` && span.parentSpanId === spanId(scheduled)).length, activity).toBeGreaterThan(0);
    }
  });

  it('gives each attempt of a retried activity a span of its own, under the one StartActivity', () => {
    const run = spans.find((span) => span.name === 'RunWorkflow:orderWorkflow')!;
    const charge = childOf(run, 'StartActivity:chargePayment');
    const attempts = spans.filter((span) => span.name === 'RunActivity:chargePayment' && span.parentSpanId === spanId(charge));
    expect(attempts.length).toBeGreaterThan(1);
  });

  it('keeps every span of the order in the caller’s trace', () => {
    const all = exporter.getFinishedSpans().filter((span) => /^(StartWorkflow|RunWorkflow|StartActivity|RunActivity):/.test(span.name));
    expect(all.length).toBeGreaterThan(10);
    expect(new Set(all.map(traceId))).toEqual(new Set([TRACE_ID]));
  });
});

describe('tracing off (no OTEL_EXPORTER_OTLP_ENDPOINT)', () => {
  it('loads no OpenTelemetry SDK, exporter or interceptor with the API and worker modules: only the no-op API that prom-client probes for', async () => {
    const script = fileURLToPath(new URL('./support/loaded-modules.ts', import.meta.url));
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', script], { cwd: fileURLToPath(new URL('../..', import.meta.url)) });
    expect(JSON.parse(stdout)).toEqual(['@opentelemetry/api']);
  });
});
