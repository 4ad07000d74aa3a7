import { createHmac, randomBytes } from 'node:crypto';

/**
 * How a call to the payment gateway proves who sent it: an HMAC-SHA256, under a shared secret,
 * over the timestamp, a nonce, the method, the path with its query, and the body exactly as sent.
 * The gateway refuses a timestamp outside its window and a nonce it has already seen in it, so a
 * captured request can neither be altered nor sent again. A retry is a new request: a new nonce.
 */
export const SIGNATURE_HEADER = 'x-gateway-signature';
export const TIMESTAMP_HEADER = 'x-gateway-timestamp';
export const NONCE_HEADER = 'x-gateway-nonce';

/** Versioned, so the scheme can change without a flag day: `v1=<hex>`. */
const VERSION = 'v1';

export interface SignedParts {
  method: string;
  /** The path and query, as on the request line. */
  path: string;
  /** Unix time in milliseconds. */
  timestamp: string;
  nonce: string;
  body: string;
}

export function signature(secret: string, { method, path, timestamp, nonce, body }: SignedParts): string {
  const mac = createHmac('sha256', secret).update([timestamp, nonce, method.toUpperCase(), path, body].join('\n')).digest('hex');
  return `${VERSION}=${mac}`;
}

/** The headers that sign one request. */
export function signatureHeaders(secret: string, request: { method: string; path: string; body: string }, now = Date.now()): Record<string, string> {
  const parts = { ...request, timestamp: String(now), nonce: randomBytes(16).toString('base64url') };
  return { [TIMESTAMP_HEADER]: parts.timestamp, [NONCE_HEADER]: parts.nonce, [SIGNATURE_HEADER]: signature(secret, parts) };
}
