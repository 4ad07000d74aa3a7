import { rateLimiter, type Store } from 'hono-rate-limiter';
import type { AppEnv } from './app-env.js';
import type { Principal } from './principal.js';
import { ProblemError, problemResponse } from './problem.js';

export interface OrderRateLimits {
  /** Requests per window for one customer token. */
  customerLimit: number;
  /** Requests per window for one admin token (back-office tools, the benchmark). */
  adminLimit: number;
  /** The window, in milliseconds; a minute unless a test shortens it. */
  windowMs?: number;
  /**
   * Where the counts live. The library's in-memory store by default: each replica then counts its
   * own window, so N replicas admit up to N times the limit. A shared store (Redis, say) gives one.
   */
  store?: Store<AppEnv>;
}

/**
 * A fixed-window limit per bearer token (the principal `authenticate` set, so it must run after
 * it): one client cannot crowd the others out of order intake. Every answer carries the
 * RateLimit-* headers (IETF draft 6); over the limit, 429 problem+json with Retry-After, the
 * seconds until the window resets. The request is refused before its body is read.
 */
export function limitOrderRate({ customerLimit, adminLimit, windowMs = 60_000, store }: OrderRateLimits) {
  const limitFor = (principal: Principal) => (principal.role === 'admin' ? adminLimit : customerLimit);
  return rateLimiter<AppEnv>({
    windowMs,
    limit: (c) => limitFor(c.get('principal')),
    keyGenerator: (c) => `${c.get('principal').role}:${c.get('principal').subject}`,
    standardHeaders: 'draft-6',
    ...(store ? { store } : {}),
    // Retry-After and the RateLimit-* headers are already on the context when this runs.
    handler: (c) =>
      problemResponse(
        c,
        new ProblemError(
          429,
          'rate-limited',
          'Too many requests',
          `This token may place ${limitFor(c.get('principal'))} orders per ${Math.round(windowMs / 1000)} seconds. Retry after the seconds in Retry-After.`,
        ),
      ),
  });
}
