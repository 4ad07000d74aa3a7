/**
 * A bearer check for the codec servers the tests build on their own (bare Hono apps, without the
 * API's request context). The API's codec server admits the API's admin tokens (src/api/app.ts).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { ProblemError, problemResponse } from '../../src/api/http/problem.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest();

/**
 * A bearer check against a list of SHA-256 hashes (hex): only hashes are configured, and they are
 * compared in constant time. The codec's gate until the API's own admin role lands; then `authorize`
 * takes that middleware instead.
 */
export function bearerTokenHashes(hexHashes: readonly string[]): MiddlewareHandler {
  const allowed = hexHashes.map((hex) => Buffer.from(hex.trim().toLowerCase(), 'hex')).filter((hash) => hash.length === 32);
  const unauthorized = (detail: string) => new ProblemError(401, 'unauthorized', 'Unauthorized', detail, undefined, { 'www-authenticate': 'Bearer realm="codec"' });
  return async (c, next) => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(c.req.header('authorization') ?? '');
    if (!match) return problemResponse(c, unauthorized('The codec needs an admin bearer token'));
    const presented = sha256(match[1]!);
    // Every configured hash is compared, so the time taken says nothing about which one matched.
    let known = false;
    for (const hash of allowed) known = timingSafeEqual(presented, hash) || known;
    if (!known) return problemResponse(c, unauthorized('The bearer token is not an admin token'));
    await next();
  };
}

/** The form a token is kept in: its SHA-256, hex. */
export const tokenHash = (token: string) => sha256(token).toString('hex');
