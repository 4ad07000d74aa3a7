import { createMiddleware } from 'hono/factory';
import type { AppEnv } from './app-env.js';
import { ProblemError, problemResponse } from './problem.js';

/**
 * At most `maxInFlight` requests of the routes it is mounted on run at once in this process; one
 * more is refused with 503 problem+json and Retry-After at once. A burst beyond what PostgreSQL's
 * pool and Temporal can take would otherwise queue inside the process until every request timed
 * out; refusing the excess keeps the latency of the admitted ones, and the client knows to retry.
 */
export function boundInFlight(maxInFlight: number, retryAfterSeconds = 1) {
  let inFlight = 0;
  return createMiddleware<AppEnv>(async (c, next) => {
    if (inFlight >= maxInFlight) {
      return problemResponse(
        c,
        new ProblemError(503, 'overloaded', 'Too many orders in flight', `This server is placing ${maxInFlight} orders already. Retry shortly.`, undefined, {
          'retry-after': String(retryAfterSeconds),
        }),
      );
    }
    inFlight++;
    try {
      await next();
    } finally {
      inFlight--;
    }
  });
}
