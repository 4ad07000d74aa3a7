import { bodyLimit } from 'hono/body-limit';
import { ProblemError, problemResponse } from './problem.js';

export const BODY_LIMIT_BYTES = 64 * 1024;

/**
 * Refuses a body over the limit with 413 while it streams in, before any handler reads it.
 * The rest of that body is never read, so the connection cannot carry another request: the server
 * only drains it briefly (half a second) and then drops the socket. `Connection: close` says so,
 * and a keep-alive client sends its next request on a new connection instead of a dying one.
 */
export const limitBodySize = bodyLimit({
  maxSize: BODY_LIMIT_BYTES,
  onError: (c) =>
    problemResponse(
      c,
      new ProblemError(413, 'body-too-large', 'Request body too large', `The body is larger than ${BODY_LIMIT_BYTES} bytes`, undefined, { connection: 'close' }),
    ),
});
