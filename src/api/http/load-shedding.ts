import { createMiddleware } from 'hono/factory';
import type { DependencyWatch } from '../health/dependency-watch.js';
import type { Dependency } from '../health/readiness.js';
import type { AppEnv } from './app-env.js';
import { ProblemError, problemResponse } from './problem.js';

const WHAT: Record<Dependency, string> = { database: 'The order database', temporal: 'The order workflow service' };

/**
 * Refuses, at once and before anything is written, a write whose dependencies were seen down:
 * 503 problem+json (`database-unavailable` or `temporal-unavailable`) with Retry-After. A write
 * that gets through and fails with a 5xx makes the watch look again, so the next ones are refused
 * without waiting for the interval.
 */
export function shedWhenDown(watch: DependencyWatch, needed: readonly Dependency[]) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const [down] = watch.down(needed);
    if (down) {
      return problemResponse(
        c,
        new ProblemError(503, `${down}-unavailable`, 'Service temporarily unavailable', `${WHAT[down]} is unreachable; nothing was written. Retry later.`, undefined, {
          'retry-after': String(watch.retryAfterSeconds),
        }),
      );
    }
    await next();
    if (c.res.status >= 500) watch.suspect();
  });
}
