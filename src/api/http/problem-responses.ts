import { problemSchema } from './problem.js';

const DESCRIPTIONS: Record<number, string> = {
  400: 'The request is invalid; `errors` names each field by JSON pointer',
  401: 'No bearer token, or one that is not valid; see WWW-Authenticate',
  403: 'The token’s role may not do this',
  404: 'No such resource',
  409: 'The request conflicts with the resource’s state',
  413: 'The body is larger than the limit',
  415: 'The body is not JSON',
  422: 'The Idempotency-Key was used with a different request',
  429: 'Too many requests from this token; see Retry-After and the RateLimit-* headers',
  500: 'An unexpected error; `requestId` finds it in the logs',
  503: 'A dependency is unavailable, or the server is at its limit of requests in flight; retry after Retry-After',
};

/** OpenAPI response entries for problem+json errors, so the documented errors match the real ones. */
export function problemResponses<S extends number>(...statuses: S[]) {
  return Object.fromEntries(
    statuses.map((status) => [status, { content: { 'application/problem+json': { schema: problemSchema } }, description: DESCRIPTIONS[status] ?? 'Error' }]),
  ) as Record<S, { content: { 'application/problem+json': { schema: typeof problemSchema } }; description: string }>;
}
