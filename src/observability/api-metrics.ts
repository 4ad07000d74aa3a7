import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

export interface ApiMetrics {
  registry: Registry;
  /** Orders accepted (`outcome="accepted"`), and requests to place one that were refused (`outcome="rejected"`, `reason` = problem code). */
  ordersTotal: Counter<'outcome' | 'reason'>;
  /** By route template (`/orders/:id`, never a raw id), method and status. */
  httpRequestDuration: Histogram<'route' | 'method' | 'status'>;
}

/** A registry of its own per app, never the global one, so a test process can hold several apps. */
export function createApiMetrics(): ApiMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const ordersTotal = new Counter({
    name: 'orders_total',
    help: 'Orders accepted, and requests to place one that were rejected, by reason',
    labelNames: ['outcome', 'reason'] as const,
    registers,
  });
  ordersTotal.inc({ outcome: 'accepted' }, 0);
  const httpRequestDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration, by route template, method and status',
    labelNames: ['route', 'method', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  });
  return { registry, ordersTotal, httpRequestDuration };
}
