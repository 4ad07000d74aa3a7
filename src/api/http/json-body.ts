import { createMiddleware } from 'hono/factory';
import { ProblemError, problemResponse } from './problem.js';

const JSON_TYPE = /^application\/([a-z0-9.+-]*\+)?json(\s*;|$)/i;

/**
 * A state-changing request must say it is JSON, with or without a body; anything else is refused
 * with 415 before it is read. Body-less too: a form post or a CORS "simple request" (which cannot
 * carry a JSON content type without a preflight) must not be able to cancel an order.
 */
export const requireJsonBody = (routeExists: (method: string, path: string) => boolean) =>
  createMiddleware(async (c, next) => {
    // No route, no state to change: the 404 or 405 says more than a 415 would.
    if (!routeExists(c.req.method, c.req.path)) return next();
    const hasBody = Number(c.req.header('content-length') ?? 0) > 0 || c.req.header('transfer-encoding') !== undefined;
    const type = c.req.header('content-type');
    if (!(type && JSON_TYPE.test(type))) {
      return problemResponse(
        c,
        new ProblemError(
          415,
          'unsupported-media-type',
          'Unsupported media type',
          `${hasBody ? 'The body' : 'This request, even without a body,'} must be application/json, not ${type ?? 'untyped'}`,
          undefined,
          {
            'accept-post': 'application/json',
          },
        ),
      );
    }
    // An empty JSON request reads as `{}`, so an optional body (POST /orders/:id/cancel) may be left out.
    // (Hono's body cache holds the promise of each body reading; its type says the value.) Without
    // a length or chunking the body may still exist (an in-process request), so it is read to see.
    if (!hasBody) (c.req.bodyCache as { text?: Promise<string> }).text = c.req.raw.text().then((text) => (text === '' ? '{}' : text));
    await next();
  });
