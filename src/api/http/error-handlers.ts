import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Context, ErrorHandler, NotFoundHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { isDatabaseUnreachable } from '../../db/connection-errors.js';
import type { AppEnv } from './app-env.js';
import { ProblemError, problemResponse } from './problem.js';

/**
 * Which methods each documented route takes, so a wrong method gets 405 with Allow instead of 404.
 * Read from the app's OpenAPI registry once every module is mounted, so the paths are the full ones.
 */
export function allowedMethodsIndex(app: OpenAPIHono<AppEnv>): (path: string) => string[] {
  const routes = app.openAPIRegistry.definitions.flatMap((d) => (d.type === 'route' ? [{ method: d.route.method.toUpperCase(), path: d.route.path }] : []));
  const patterns = routes.map(({ method, path }) => ({ method, regex: new RegExp('^' + path.replace(/\{[^}]+\}/g, '[^/]+') + '$') }));
  return (path: string) => [...new Set(patterns.filter((p) => p.regex.test(path)).map((p) => p.method))];
}

/** No route matched: 405 with Allow when the path exists under another method, else 404. */
export function notFoundOrWrongMethod(allowedMethods: (path: string) => string[]): NotFoundHandler<AppEnv> {
  return (c) => {
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
  };
}

/**
 * A thrown error becomes its problem; Hono's own client errors keep their status; PostgreSQL out of
 * reach is a 503 the client may retry (a database outage is not a bug of ours); anything else is a logged 500.
 */
export const renderError: ErrorHandler<AppEnv> = (error, c: Context<AppEnv>) => {
  if (error instanceof ProblemError) return problemResponse(c, error);
  if (isDatabaseUnreachable(error)) {
    c.get('logger').warn({ err: error }, 'PostgreSQL is unreachable');
    return problemResponse(
      c,
      new ProblemError(503, 'database-unavailable', 'Service temporarily unavailable', 'The order database is unreachable. Retry later.', undefined, {
        'retry-after': '1',
      }),
    );
  }
  if (error instanceof HTTPException && error.status < 500) {
    const malformed = /json/i.test(error.message);
    return problemResponse(
      c,
      new ProblemError(
        error.status,
        malformed ? 'malformed-json' : 'bad-request',
        malformed ? 'Malformed JSON' : 'Bad request',
        malformed ? 'The request body is not valid JSON' : error.message,
      ),
    );
  }
  c.get('logger').error({ err: error }, 'Unhandled error');
  return problemResponse(
    c,
    new ProblemError(500, 'internal-error', 'Internal error', `Something went wrong on our side. Quote request id ${c.get('requestId')} when you report it.`),
  );
};
