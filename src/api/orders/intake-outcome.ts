import { createMiddleware } from 'hono/factory';
import type { ApiMetrics } from '../../observability/api-metrics.js';
import type { AppEnv } from '../http/app-env.js';
import { PROBLEM_TYPE_BASE } from '../http/problem.js';

/**
 * Counts what POST /orders decided (the app mounts it for that route alone): a new order
 * (`accepted`, as the route marks it; an Idempotency-Key replay is not a new one), or a refusal
 * by its problem code. An accepted order is also logged with its ID beside the request ID, so one
 * grep for either finds the request. It wraps the body checks, so a 413 or 415 is counted too.
 */
export function orderIntakeOutcome(metrics: ApiMetrics) {
  return createMiddleware<AppEnv>(async (c, next) => {
    await next();
    const { status } = c.res;
    const placed = c.get('placedOrder');
    if (placed) {
      metrics.ordersTotal.inc({ outcome: 'accepted' });
      c.get('logger').info({ orderId: placed.id, customerId: placed.customerId }, 'Order accepted');
    } else if (status >= 400) {
      const problem = (await c.res
        .clone()
        .json()
        .catch(() => ({}))) as { type?: string };
      const reason = problem.type?.startsWith(PROBLEM_TYPE_BASE) ? problem.type.slice(PROBLEM_TYPE_BASE.length) : `http-${status}`;
      metrics.ordersTotal.inc({ outcome: 'rejected', reason });
    }
  });
}
