import { timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { NONCE_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, signature } from '../../src/payments/request-signing.js';

export interface GatewaySecrets {
  /** What the payment client signs its calls with. */
  signing: string;
  /** The simulator's own controls (/admin/*): a secret of their own, so the worker's cannot change faults. */
  admin: string;
}

/** How far a request's timestamp may be from the simulator's clock, either way. */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;

const NONCE = /^[A-Za-z0-9_-]{16,64}$/;

const refusal = (message: string) => ({ error: { code: 'unauthorized', message } });

/**
 * The nonces seen within the window, each kept until its timestamp leaves the window: a replay
 * inside the window is caught here, one outside by the clock check.
 */
function seenNonces(windowMs: number) {
  const expiries = new Map<string, number>();
  return {
    /** True the first time; false for a nonce already seen and not yet expired. */
    remember(nonce: string, timestamp: number, now: number): boolean {
      for (const [seen, expiresAt] of expiries) {
        if (expiresAt > now) break; // insertion order is close to time order; the rest expire later
        expiries.delete(seen);
      }
      if (expiries.has(nonce)) return false;
      expiries.set(nonce, timestamp + windowMs);
      return true;
    },
  };
}

/**
 * Refuses, with 401, every call but /health that is not signed (see request-signing.ts) with the
 * secret its route needs, is outside the clock window, or repeats a nonce. The body is read from a
 * clone, so the routes read it as before.
 */
export function verifySignedRequests(secrets: GatewaySecrets, { maxSkewMs = MAX_CLOCK_SKEW_MS, now = Date.now } = {}): MiddlewareHandler {
  const nonces = seenNonces(maxSkewMs);
  return async (c, next) => {
    if (c.req.path === '/health') return next();
    const presented = c.req.header(SIGNATURE_HEADER);
    const timestamp = c.req.header(TIMESTAMP_HEADER);
    const nonce = c.req.header(NONCE_HEADER);
    if (!presented || !timestamp || !nonce) return c.json(refusal(`Sign the request: ${TIMESTAMP_HEADER}, ${NONCE_HEADER} and ${SIGNATURE_HEADER} are required`), 401);
    const at = Number(timestamp);
    const clock = now();
    if (!Number.isSafeInteger(at) || Math.abs(clock - at) > maxSkewMs)
      return c.json(refusal(`The timestamp is more than ${maxSkewMs / 1000} s from the gateway's clock`), 401);
    if (!NONCE.test(nonce)) return c.json(refusal('The nonce must be 16 to 64 URL-safe characters'), 401);

    const url = new URL(c.req.url);
    const secret = c.req.path.startsWith('/admin/') ? secrets.admin : secrets.signing;
    const body = await c.req.raw.clone().text();
    const expected = Buffer.from(signature(secret, { method: c.req.method, path: url.pathname + url.search, timestamp, nonce, body }));
    const given = Buffer.from(presented);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return c.json(refusal('The signature does not match'), 401);
    // Only a valid signature spends its nonce: a forger cannot use up someone else's.
    if (!nonces.remember(nonce, at, clock)) return c.json(refusal('This request was already received (replayed nonce)'), 401);
    return next();
  };
}
