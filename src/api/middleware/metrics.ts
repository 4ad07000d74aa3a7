import { createMiddleware } from 'hono/factory';
import type { ApiMetrics } from '../../observability/api-metrics.js';
import type { RequestVariables } from './request-id.js';
import { PROBLEM_TYPE_BASE } from '../problem.js';

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

/**
 * Counts what POST /orders decided: a new order (`accepted`, as the route marks it; an
 * Idempotency-Key replay is not a new one), or a refusal by its problem code. An accepted order is also logged with its ID beside
 * the request ID, so one grep for either finds the request.
 */
export function orderIntakeOutcome(metrics: ApiMetrics) {
  return createMiddleware<{ Variables: RequestVariables }>(async (c, next) => {
    await next();
    if (c.req.method !== 'POST') return;
    const { status } = c.res;
    const placed = c.get('placedOrder');
    if (placed) {
      metrics.ordersTotal.inc({ outcome: 'accepted' });
      c.get('logger').info({ orderId: placed.id, customerId: placed.customerId }, 'Order accepted');
    } else if (status >= 400) {
      const problem = (await c.res.clone().json().catch(() => ({}))) as { type?: string };
      const reason = problem.type?.startsWith(PROBLEM_TYPE_BASE) ? problem.type.slice(PROBLEM_TYPE_BASE.length) : `http-${status}`;
      metrics.ordersTotal.inc({ outcome: 'rejected', reason });
    }
  });
}
