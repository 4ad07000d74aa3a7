import { BODY_LIMIT_BYTES } from './http/body-limit.js';
import { IDEMPOTENCY_KEY_RETENTION_HOURS } from './orders/index.js';

/** Every route but /health and /ready needs a bearer token (those two say `security: []`). */
export const BEARER_SCHEME = {
  type: 'http' as const,
  scheme: 'bearer',
  description: 'An opaque token from configuration (API_TOKENS). An admin token reads every order and manages the catalogue; a customer token acts for its one customer.',
};

/** The OpenAPI document's header; the paths and schemas come from the mounted modules' routes. */
export const OPENAPI_INFO = {
  openapi: '3.1.0',
  security: [{ bearer: [] }],
  info: {
    title: 'Orders API',
    version: '0.1.0',
    description: [
      'Order processing on Temporal: reserve stock, charge, confirm, notify, with compensations.',
      '',
      `Errors are RFC 9457 \`application/problem+json\`. Request bodies are JSON, at most ${BODY_LIMIT_BYTES / 1024} KiB; a larger one is refused with 413 and \`Connection: close\`.`,
      '',
      'Strings: ids, keys, SKUs and tokens take no control characters; free text (a cancel reason) takes tab and newline and no other control character; no string may hold a lone surrogate. A string that breaks these rules is refused with 400, naming it.',
      '',
      '**Idempotency-Key** (POST /orders, POST /orders/{id}/cancel): a string of at most 255 characters, scoped to the authenticated customer.',
      'The same key with the same body returns the first response (status and body) with `Idempotent-Replayed: true`, and never starts a second workflow or charge.',
      'The same key with a different body is refused with 422. Concurrent requests with one key wait for the first and get its result.',
      `Keys are kept for ${IDEMPOTENCY_KEY_RETENTION_HOURS} hours at least. Without a key every POST is a new order: send one.`,
      '',
      '**Authorization**: `Bearer <token>` on every route but /health, /ready, /openapi.json and /docs; a missing or unknown token is 401.',
      'A customer token places, reads, lists and cancels only its own customer’s orders: another customer’s order is 404, and naming another customer is 403.',
      'An admin token reads every order and manages the catalogue. State-changing requests must be `Content-Type: application/json`, body or not (else 415).',
    ].join('\n'),
  },
};
