import { randomUUID } from 'node:crypto';
import { createMiddleware } from 'hono/factory';
import type { Logger } from '../../platform/logger.js';

export type RequestVariables = {
  requestId: string;
  logger: Logger;
};

const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** W3C traceparent: version-traceid-parentid-flags; the trace id is what ties an order's story together. */
function traceIdFrom(traceparent: string | undefined): string | undefined {
  const match = traceparent?.match(/^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/);
  return match?.[1];
}

/** Honours an incoming X-Request-Id or traceparent, else makes an id; echoes it and logs each request with it. */
export function requestContext(logger: Logger) {
  return createMiddleware<{ Variables: RequestVariables }>(async (c, next) => {
    const incoming = c.req.header('x-request-id');
    const requestId = (incoming && SAFE_ID.test(incoming) ? incoming : undefined) ?? traceIdFrom(c.req.header('traceparent')) ?? randomUUID();
    const requestLogger = logger.child({ requestId });
    c.set('requestId', requestId);
    c.set('logger', requestLogger);
    c.header('x-request-id', requestId);
    const started = performance.now();
    await next();
    requestLogger.info({ method: c.req.method, path: c.req.path, status: c.res.status, durationMs: Math.round((performance.now() - started) * 10) / 10 }, 'request');
  });
}
