import { createMiddleware } from 'hono/factory';
import { ProblemError, problemResponse } from './problem.js';

const JSON_TYPE = /^application\/([a-z0-9.+-]*\+)?json(\s*;|$)/i;

/** A request that carries a body must say it is JSON; anything else is refused with 415 before it is read. */
export const requireJsonBody = createMiddleware(async (c, next) => {
  const hasBody = Number(c.req.header('content-length') ?? 0) > 0 || c.req.header('transfer-encoding') !== undefined;
  const type = c.req.header('content-type');
  if (hasBody && !(type && JSON_TYPE.test(type))) {
    return problemResponse(
      c,
      new ProblemError(415, 'unsupported-media-type', 'Unsupported media type', `The body must be application/json, not ${type ?? 'untyped'}`, undefined, {
        'accept-post': 'application/json',
      }),
    );
  }
  await next();
});
