import { createMiddleware } from 'hono/factory';
import type { ApiMetrics } from '../../observability/api-metrics.js';

/** Hono's catch-all, matched when no route is: one label for every unknown path. */
const UNMATCHED = '/*';

/**
 * Times every request under its matched route template (`/orders/:id`), so the label set stays
 * small however many orders there are. Registered first, it also times the error responses.
 */
export function httpMetrics(metrics: ApiMetrics) {
  return createMiddleware(async (c, next) => {
    const stop = metrics.httpRequestDuration.startTimer();
    await next();
    const route = c.req.routePath === UNMATCHED ? 'unmatched' : c.req.routePath;
    stop({ route, method: c.req.method, status: String(c.res.status) });
  });
}
