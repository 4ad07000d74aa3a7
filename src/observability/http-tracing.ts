import { context, propagation, SpanKind, SpanStatusCode, trace, type Tracer } from '@opentelemetry/api';
import { createMiddleware } from 'hono/factory';

/**
 * A SERVER span per HTTP request, the parent of everything the request does (starting the
 * workflow among it). An incoming W3C `traceparent` makes it the child of the caller's span.
 * Named by the matched route template, `POST /orders`, known once routing has run.
 */
export function httpServerSpans(tracer: Tracer) {
  return createMiddleware(async (c, next) => {
    const parent = propagation.extract(context.active(), Object.fromEntries(c.req.raw.headers));
    const span = tracer.startSpan(c.req.method, { kind: SpanKind.SERVER, attributes: { 'http.request.method': c.req.method, 'url.path': c.req.path } }, parent);
    try {
      await context.with(trace.setSpan(parent, span), next);
    } finally {
      span.updateName(`${c.req.method} ${c.req.routePath}`);
      span.setAttributes({ 'http.route': c.req.routePath, 'http.response.status_code': c.res.status });
      if (c.res.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    }
  });
}
