import type { MiddlewareHandler } from 'hono';
import { createApiMetrics, type ApiMetrics } from '../observability/api-metrics.js';
import { codecRouter, type CodecRouterOptions } from './codec/index.js';
import { registerOpenOrderGauges } from '../observability/open-orders.js';
import { apiReference } from './docs/api-reference.js';
import { healthRouter } from './health/index.js';
import type { AppDeps } from './http/app-env.js';
import { limitBodySize } from './http/body-limit.js';
import { allowedMethodsIndex, notFoundOrWrongMethod, renderError } from './http/error-handlers.js';
import { httpMetrics } from './http/http-metrics.js';
import { requireJsonBody } from './http/json-body.js';
import { requestContext } from './http/request-id.js';
import { createRouter } from './http/router.js';
import { OPENAPI_INFO } from './openapi-document.js';
import { orderIntakeOutcome, ordersRouter } from './orders/index.js';
import { productsRouter } from './products/index.js';

export interface CreateAppOptions extends AppDeps {
  /** This app's Prometheus registry and metrics, served at GET /metrics; a fresh one when absent. */
  metrics?: ApiMetrics;
  /** Opens a span per request; given only when tracing is on (OTEL_EXPORTER_OTLP_ENDPOINT). */
  httpTracing?: MiddlewareHandler;
  /** The codec server (POST /codec/encode, /codec/decode), mounted only when payloads are encrypted. */
  codec?: CodecRouterOptions;
}

/** The whole HTTP API, from its dependencies; tests drive it with `app.request()`. */
export function createApp({ metrics = createApiMetrics(), httpTracing, codec, ...deps }: CreateAppOptions) {
  const app = createRouter();
  registerOpenOrderGauges(metrics.registry, deps.db);

  // Outermost first: the span and the timer cover everything below, error responses included.
  if (httpTracing) app.use('*', httpTracing);
  app.use('*', httpMetrics(metrics));
  app.use('*', requestContext(deps.logger));
  app.on('POST', '/orders', orderIntakeOutcome(metrics));
  app.use('*', limitBodySize);
  app.on(['POST', 'PUT', 'PATCH'], '*', requireJsonBody);

  app.route('/', healthRouter(deps));
  app.route('/products', productsRouter(deps));
  app.route('/orders', ordersRouter(deps));
  // For operators' tools (Web UI, CLI), not for API clients: left out of the OpenAPI document.
  if (codec) app.route('/codec', codecRouter(codec));

  app.doc31('/openapi.json', OPENAPI_INFO);
  app.route('/docs', apiReference({ documentUrl: '/openapi.json', title: `${OPENAPI_INFO.info.title} reference` }));
  // For Prometheus, not for API clients: left out of the OpenAPI document.
  app.get('/metrics', async (c) => c.body(await metrics.registry.metrics(), 200, { 'content-type': metrics.registry.contentType }));

  // The one place where errors become HTTP responses. The index is read after every module is mounted.
  app.notFound(notFoundOrWrongMethod(allowedMethodsIndex(app)));
  app.onError(renderError);
  return app;
}
