import type { MiddlewareHandler } from 'hono';
import { createApiMetrics, type ApiMetrics } from '../observability/api-metrics.js';
import { codecRouter, type CodecRouterOptions } from './codec/index.js';
import { registerOpenOrderGauges } from '../observability/open-orders.js';
import { apiReference } from './docs/api-reference.js';
import { eventsRouter } from './events/index.js';
import { healthRouter } from './health/index.js';
import type { TokenEntry } from '../platform/api-tokens.js';
import { OVERLOAD_DEFAULTS } from '../platform/config.js';
import { DependencyWatch, type DependencyWatchOptions } from './health/dependency-watch.js';
import { dependencyProbes } from './health/readiness.js';
import { boundInFlight } from './http/intake-concurrency.js';
import { shedWhenDown } from './http/load-shedding.js';
import { limitOrderRate, type OrderRateLimits } from './http/order-rate-limit.js';
import type { AppDeps } from './http/app-env.js';
import { every } from 'hono/combine';
import { authenticate, requireRole } from './http/auth.js';
import { limitBodySize } from './http/body-limit.js';
import { allowedMethodsIndex, notFoundOrWrongMethod, renderError } from './http/error-handlers.js';
import { crossOrigin } from './http/cross-origin.js';
import { httpMetrics } from './http/http-metrics.js';
import { requireJsonBody } from './http/json-body.js';
import { requestContext } from './http/request-id.js';
import { createRouter } from './http/router.js';
import { BEARER_SCHEME, OPENAPI_INFO } from './openapi-document.js';
import { orderIntakeOutcome, ordersRouter } from './orders/index.js';
import { productsRouter } from './products/index.js';
import { webhookEndpointsRouter } from './webhooks/index.js';

const WRITES = ['POST', 'PUT', 'PATCH', 'DELETE'];

export interface CreateAppOptions extends AppDeps {
  /** The bearer tokens that may call the API (hashes only); see src/platform/api-tokens.ts. */
  tokens: readonly TokenEntry[];
  /** Origins a browser may call the API from; none when absent. */
  corsAllowedOrigins?: readonly string[];
  /** This app's Prometheus registry and metrics (served by main.ts on its own port); a fresh one when absent. */
  metrics?: ApiMetrics;
  /** Opens a span per request; given only when tracing is on (OTEL_EXPORTER_OTLP_ENDPOINT). */
  httpTracing?: MiddlewareHandler;
  /** The codec server (POST /codec/encode, /codec/decode), mounted only when payloads are encrypted. */
  codec?: Omit<CodecRouterOptions, 'authorize'>;
  /** Overload protection for POST /orders and the writes; see README "Overload protection". Defaults when absent. */
  overload?: OverloadOptions;
}

export interface OverloadOptions {
  orderRateLimits?: Partial<OrderRateLimits>;
  /** POST /orders running at once, beyond which one more is refused with 503. */
  maxIntakeInFlight?: number;
  /** How often load shedding looks at PostgreSQL and Temporal. */
  dependencyWatch?: DependencyWatchOptions;
}

/** The whole HTTP API, from its dependencies; tests drive it with `app.request()`. */
export function createApp({ metrics = createApiMetrics(), httpTracing, codec, tokens, corsAllowedOrigins = [], overload = {}, ...deps }: CreateAppOptions) {
  const app = createRouter();
  registerOpenOrderGauges(metrics.registry, deps.db);
  const dependencies = new DependencyWatch(dependencyProbes(deps), deps.logger, overload.dependencyWatch);

  // Outermost first: the span and the timer cover everything below, error responses included.
  if (httpTracing) app.use('*', httpTracing);
  app.use('*', httpMetrics(metrics));
  app.use('*', requestContext(deps.logger));
  app.on('POST', '/orders', orderIntakeOutcome(metrics));
  // The codec server, for operators' tools (Web UI, CLI), not for API clients: left out of the OpenAPI
  // document. Mounted before the API's own origin rule, because it answers the Web UI's origin and its
  // preflights itself; then admin tokens only, and the same body limit.
  if (codec) app.route('/codec', codecRouter({ ...codec, authorize: every(authenticate(tokens), requireRole('admin'), limitBodySize) }));
  // Origin first, so that a preflight is answered without a token; then who is calling; then the body.
  app.use('*', crossOrigin(corsAllowedOrigins));
  app.use('*', authenticate(tokens));
  // Intake, per token and then for the whole process, before its body is read; then what it needs must be up.
  app.on(
    'POST',
    '/orders',
    limitOrderRate({
      customerLimit: OVERLOAD_DEFAULTS.orderRateLimitPerMinute,
      adminLimit: OVERLOAD_DEFAULTS.orderRateLimitAdminPerMinute,
      ...overload.orderRateLimits,
    }),
    boundInFlight(overload.maxIntakeInFlight ?? OVERLOAD_DEFAULTS.orderIntakeMaxInFlight),
  );
  app.on(WRITES, ['/orders', '/orders/*'], shedWhenDown(dependencies, ['database', 'temporal']));
  app.on(WRITES, ['/products', '/products/*'], shedWhenDown(dependencies, ['database']));
  app.use('*', limitBodySize);
  // The route index is read on each request, once every module is mounted (below).
  let allowedMethods: (path: string) => string[] = () => [];
  app.on(
    WRITES,
    '*',
    requireJsonBody((method, path) => allowedMethods(path).includes(method)),
  );

  app.route('/', healthRouter(deps));
  app.route('/products', productsRouter(deps));
  app.route('/orders', ordersRouter(deps));
  app.route('/events', eventsRouter(deps));
  app.route('/webhook-endpoints', webhookEndpointsRouter(deps));

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', BEARER_SCHEME);
  app.doc31('/openapi.json', OPENAPI_INFO);
  app.route('/docs', apiReference({ documentUrl: '/openapi.json', title: `${OPENAPI_INFO.info.title} reference` }));
  // GET /metrics is not here: main.ts serves the registry on an internal port (API_METRICS_PORT).

  // The one place where errors become HTTP responses. The index is read after every module is mounted.
  allowedMethods = allowedMethodsIndex(app);
  app.notFound(notFoundOrWrongMethod(allowedMethods));
  app.onError(renderError);
  return app;
}
