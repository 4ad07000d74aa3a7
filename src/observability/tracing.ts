/**
 * OpenTelemetry tracing: an HTTP request → StartWorkflow → RunWorkflow → StartActivity →
 * RunActivity, one trace. Entry points import this module only when OTEL_EXPORTER_OTLP_ENDPOINT
 * is set, so with tracing off no OpenTelemetry code is even loaded.
 *
 * `@temporalio/interceptors-opentelemetry@1.24` is built on the OpenTelemetry JS SDK 1.x line, so
 * that is the line used here (sdk-trace 1.30, OTLP exporter 0.57).
 */
import { createRequire } from 'node:module';
import { trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Resource } from '@opentelemetry/resources';
import { BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import type { WorkflowClientInterceptor } from '@temporalio/client';
import {
  makeWorkflowExporter,
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
  OpenTelemetryWorkflowClientInterceptor,
} from '@temporalio/interceptors-opentelemetry';
import type { ActivityInterceptorsFactory, WorkerOptions } from '@temporalio/worker';
import type { MiddlewareHandler } from 'hono';
import { httpServerSpans } from './http-tracing.js';

export interface TracingSettings {
  /** `service.name` on every span: `orders-api`, `orders-worker`. */
  serviceName: string;
  /** OTEL_EXPORTER_OTLP_ENDPOINT; spans go to `<endpoint>/v1/traces` over OTLP/HTTP. */
  otlpEndpoint?: string;
  /** Replaces the OTLP exporter: tests pass a SimpleSpanProcessor over an InMemorySpanExporter. */
  spanProcessor?: SpanProcessor;
}

/** What a worker adds to its options for tracing. */
export interface WorkerTracing {
  /** Bundled with the workflow code; `bundleWorkflowCode({ workflowInterceptorModules })` when prebuilt. */
  workflowModules: string[];
  activityInterceptors: ActivityInterceptorsFactory[];
  /** Carries the spans made inside the workflow sandbox out to the span processor. */
  sinks: NonNullable<WorkerOptions['sinks']>;
}

export interface Tracing {
  /** For the API app: a span per request. */
  httpMiddleware: MiddlewareHandler;
  /** For the Temporal client: `interceptors: { workflow: clientInterceptors }`. */
  clientInterceptors: WorkflowClientInterceptor[];
  worker: WorkerTracing;
  /** Flushes the spans still buffered. */
  shutdown(): Promise<void>;
}

export const OTEL_WORKFLOW_INTERCEPTORS_MODULE = createRequire(import.meta.url).resolve('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors');

function otlpTraceUrl(endpoint: string): string {
  return `${endpoint.replace(/\/+$/, '')}/v1/traces`;
}

/** Registers the process's tracer provider, W3C propagator and context manager, once per process. */
export function startTracing({ serviceName, otlpEndpoint, spanProcessor }: TracingSettings): Tracing {
  const processor = spanProcessor ?? new BatchSpanProcessor(new OTLPTraceExporter(otlpEndpoint ? { url: otlpTraceUrl(otlpEndpoint) } : {}));
  const resource = new Resource({ 'service.name': serviceName });
  const provider = new NodeTracerProvider({ resource, spanProcessors: [processor] });
  provider.register();
  const tracer = trace.getTracer('orders');
  return {
    httpMiddleware: httpServerSpans(tracer),
    clientInterceptors: [new OpenTelemetryWorkflowClientInterceptor()],
    worker: {
      workflowModules: [OTEL_WORKFLOW_INTERCEPTORS_MODULE],
      activityInterceptors: [(ctx) => ({ inbound: new OpenTelemetryActivityInboundInterceptor(ctx), outbound: new OpenTelemetryActivityOutboundInterceptor(ctx) })],
      sinks: { exporter: makeWorkflowExporter(processor, resource) },
    },
    shutdown: () => provider.shutdown(),
  };
}
