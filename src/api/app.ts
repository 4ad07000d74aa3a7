import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import type { MiddlewareHandler } from 'hono';
import type { Client } from '@temporalio/client';
import type { Database } from '../db/client.js';
import { createApiMetrics, type ApiMetrics } from '../observability/api-metrics.js';
import { registerOpenOrderGauges } from '../observability/open-orders.js';
import type { Logger } from '../platform/logger.js';
import type { SagaTimings } from '../workflows/timings.js';
import type { AppDeps, AppEnv } from './app-types.js';
import { apiReference } from './docs/api-reference.js';
import { IDEMPOTENCY_KEY_RETENTION_HOURS } from './idempotency.js';
import { requireJsonBody } from './middleware/json-body.js';
import { httpMetrics, orderIntakeOutcome } from './middleware/metrics.js';
import { requestContext } from './middleware/request-id.js';
import { ProblemError, problemResponse, validationProblem } from './problem.js';
import { healthRoutes } from './routes/health.js';
import { orderRoutes } from './routes/orders.js';
import { productRoutes } from './routes/products.js';

export const BODY_LIMIT_BYTES = 64 * 1024;

const OPENAPI_INFO = {
  openapi: '3.1.0',
  info: {
    title: 'Orders API',
    version: '0.1.0',
    description: [
      'Order processing on Temporal: reserve stock, charge, confirm, notify, with compensations.',
      '',
      `Errors are RFC 9457 \`application/problem+json\`. Request bodies are JSON, at most ${BODY_LIMIT_BYTES / 1024} KiB.`,
      '',
      '**Idempotency-Key** (POST /orders, POST /orders/{id}/cancel): a string of at most 255 characters, scoped to the customer.',
      'The same key with the same body returns the first response (status and body) with `Idempotent-Replayed: true`, and never starts a second workflow or charge.',
      'The same key with a different body is refused with 422. Concurrent requests with one key wait for the first and get its result.',
      `Keys are kept for ${IDEMPOTENCY_KEY_RETENTION_HOURS} hours at least. Without a key every POST is a new order: send one.`,
    ].join('\n'),
  },
};

/** Which methods each documented route takes, so a wrong method gets 405 with Allow instead of 404. */
function routeMethodsIndex(app: OpenAPIHono<AppEnv>) {
  const routes = app.openAPIRegistry.definitions.flatMap((d) => (d.type === 'route' ? [{ method: d.route.method.toUpperCase(), path: d.route.path }] : []));
  const patterns = routes.map(({ method, path }) => ({ method, regex: new RegExp('^' + path.replace(/\{[^}]+\}/g, '[^/]+') + '$') }));
  return (path: string) => [...new Set(patterns.filter((p) => p.regex.test(path)).map((p) => p.method))];
}

export interface CreateAppOptions {
  db: Database;
  temporal: Client;
  taskQueue: string;
  logger: Logger;
  sagaTimings?: Partial<SagaTimings>;
  /** This app's Prometheus registry and metrics, served at GET /metrics; a fresh one when absent. */
  metrics?: ApiMetrics;
  /** Opens a span per request; given only when tracing is on (OTEL_EXPORTER_OTLP_ENDPOINT). */
  httpTracing?: MiddlewareHandler;
}

/** The whole HTTP API, from its dependencies; tests drive it with `app.request()`. */
export function createApp(options: CreateAppOptions) {
  const deps: AppDeps = {
    ...options,
    validationHook: (result, c) => {
      if (!result.success) return problemResponse(c, validationProblem(result.error, result.target === 'json' ? 'body' : (result.target as 'query')));
    },
  };
  const app = new OpenAPIHono<AppEnv>({ defaultHook: deps.validationHook });
  const metrics = options.metrics ?? createApiMetrics();
  registerOpenOrderGauges(metrics.registry, options.db);

  // Outermost first: the span and the timer cover everything below, error responses included.
  if (options.httpTracing) app.use('*', options.httpTracing);
  app.use('*', httpMetrics(metrics));
  app.use('*', requestContext(options.logger));
  app.use('/orders', orderIntakeOutcome(metrics));
  app.use(
    '*',
    bodyLimit({
      maxSize: BODY_LIMIT_BYTES,
      onError: (c) => problemResponse(c, new ProblemError(413, 'body-too-large', 'Request body too large', `The body is larger than ${BODY_LIMIT_BYTES} bytes`)),
    }),
  );

  app.on(['POST', 'PUT', 'PATCH'], '*', requireJsonBody);

  app.route('/', healthRoutes(deps));
  app.route('/', productRoutes(deps));
  app.route('/', orderRoutes(deps));

  app.doc31('/openapi.json', OPENAPI_INFO);
  app.route('/docs', apiReference({ documentUrl: '/openapi.json', title: `${OPENAPI_INFO.info.title} reference` }));
  // For Prometheus, not for API clients: left out of the OpenAPI document.
  app.get('/metrics', async (c) => c.body(await metrics.registry.metrics(), 200, { 'content-type': metrics.registry.contentType }));

  const allowedMethods = routeMethodsIndex(app);
  // The one place where errors become HTTP responses.
  app.notFound((c) => {
    const allowed = allowedMethods(c.req.path);
    if (allowed.length > 0) {
      return problemResponse(
        c,
        new ProblemError(405, 'method-not-allowed', 'Method not allowed', `${c.req.method} is not allowed on ${c.req.path}; use ${allowed.join(', ')}`, undefined, {
          allow: allowed.join(', '),
        }),
      );
    }
    return problemResponse(c, new ProblemError(404, 'not-found', 'Not found', `No route for ${c.req.method} ${c.req.path}`));
  });
  app.onError((error, c) => {
    if (error instanceof ProblemError) return problemResponse(c, error);
    if (error instanceof HTTPException && error.status < 500) {
      const malformed = /json/i.test(error.message);
      return problemResponse(
        c,
        new ProblemError(error.status as 400, malformed ? 'malformed-json' : 'bad-request', malformed ? 'Malformed JSON' : 'Bad request', malformed ? 'The request body is not valid JSON' : error.message),
      );
    }
    c.get('logger').error({ err: error }, 'Unhandled error');
    return problemResponse(c, new ProblemError(500, 'internal-error', 'Internal error', `Something went wrong on our side. Quote request id ${c.get('requestId')} when you report it.`));
  });
  return app;
}

export type { AppDeps };
