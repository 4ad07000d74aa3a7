import { cors } from 'hono/cors';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from './app-env.js';
import { ProblemError, problemResponse } from './problem.js';

/**
 * No cross-origin access unless configured: a browser request from an origin outside the
 * allow-list is refused outright (403), not merely left without CORS headers, so that even a
 * "simple" request a page makes on a visitor's behalf never reaches a handler. The API's own
 * pages (/docs) are same-origin and pass. Allowed origins get the CORS answers, preflights included.
 */
export function crossOrigin(allowedOrigins: readonly string[]) {
  const allowed = new Set(allowedOrigins.map((origin) => new URL(origin).origin));
  const answerCors = cors({
    origin: (origin) => (allowed.has(origin) ? origin : null),
    allowMethods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'Prefer', 'X-Request-Id', 'traceparent', 'X-Namespace'], // X-Namespace: the Temporal Web UI's codec calls
    exposeHeaders: ['Location', 'Idempotent-Replayed', 'Preference-Applied', 'X-Request-Id', 'Retry-After'],
    maxAge: 600,
  });
  return createMiddleware<AppEnv>(async (c, next) => {
    const origin = c.req.header('origin');
    if (origin === undefined || origin === new URL(c.req.url).origin) return next();
    if (!allowed.has(origin)) {
      return problemResponse(c, new ProblemError(403, 'origin-not-allowed', 'Cross-origin request refused', `Requests from ${origin.slice(0, 200)} are not allowed`));
    }
    return answerCors(c, next);
  });
}
