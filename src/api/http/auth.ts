import { timingSafeEqual } from 'node:crypto';
import { createMiddleware } from 'hono/factory';
import { hashToken, type Role, type TokenEntry } from '../../platform/api-tokens.js';
import type { AppEnv } from './app-env.js';
import type { Principal } from './principal.js';
import { ProblemError, problemResponse } from './problem.js';

/** Routes anyone may call: probes, and the API's own description. */
const PUBLIC_PATHS = new Set(['/health', '/ready', '/openapi.json', '/docs']);
const isPublic = (path: string) => PUBLIC_PATHS.has(path) || path.startsWith('/docs/');

const BEARER = /^Bearer[ \t]+([A-Za-z0-9\-._~+/]+=*)[ \t]*$/i;

function unauthorized(detail: string, challenge: string): ProblemError {
  return new ProblemError(401, 'unauthorized', 'Authentication required', detail, undefined, { 'www-authenticate': challenge });
}

/**
 * Finds the entry whose hash is the presented token's. Every entry is compared, in constant time
 * (equal-length SHA-256 digests), so neither the answer's timing nor an early exit says how close a guess was.
 */
function findEntry(entries: readonly TokenEntry[], token: string): TokenEntry | undefined {
  const presented = hashToken(token);
  let found: TokenEntry | undefined;
  for (const entry of entries) if (timingSafeEqual(entry.hash, presented) && !found) found = entry;
  return found;
}

/**
 * Every route but the public ones needs `Authorization: Bearer <token>`; the principal it names is
 * set on the context for the handlers. The token itself is never logged or kept.
 */
export function authenticate(entries: readonly TokenEntry[]) {
  return createMiddleware<AppEnv>(async (c, next) => {
    if (isPublic(c.req.path)) return next();
    const header = c.req.header('authorization');
    if (!header) return problemResponse(c, unauthorized('Send Authorization: Bearer <token>', 'Bearer realm="orders"'));
    const token = BEARER.exec(header)?.[1];
    const entry = token === undefined ? undefined : findEntry(entries, token);
    if (!entry) return problemResponse(c, unauthorized('The bearer token is not valid', 'Bearer realm="orders", error="invalid_token"'));
    const principal: Principal = { role: entry.role, subject: entry.subject };
    c.set('principal', principal);
    c.set('logger', c.get('logger').child({ principal: `${principal.role}:${principal.subject}` }));
    await next();
  });
}

/** Refuses, with 403, a principal without this role; mount it on a route or a sub-app (the codec server's, the catalogue's writes). */
export function requireRole(role: Role) {
  return createMiddleware<AppEnv>(async (c, next) => {
    if (c.get('principal')?.role !== role) {
      return problemResponse(c, new ProblemError(403, 'forbidden', 'Forbidden', `This needs the ${role} role`));
    }
    await next();
  });
}
