import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header every webhook request carries: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`, as Stripe's. */
export const WEBHOOK_SIGNATURE_HEADER = 'webhook-signature';

const HEX_DIGEST = /^[0-9a-f]{64}$/i;

const hmac = (secret: string, timestamp: number, body: string) => createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');

/** Signs over the timestamp and the exact body bytes sent, so neither can be changed or replayed later unnoticed. */
export function signWebhook(secret: string, body: string, timestamp = Math.floor(Date.now() / 1000)): string {
  return `t=${timestamp},v1=${hmac(secret, timestamp, body)}`;
}

/**
 * What a receiver does: recompute the HMAC, compare in constant time, and refuse a timestamp older
 * than the tolerance (a replayed request). Any `v1` entry may match, so a secret can roll.
 */
export function verifyWebhook(secret: string, body: string, header: string | undefined, { toleranceSeconds = 300, now = Date.now() } = {}): boolean {
  if (!header) return false;
  const parts = header.split(',').map((part) => part.trim().split('=', 2) as [string, string | undefined]);
  const timestamp = Number(parts.find(([key]) => key === 't')?.[1]);
  if (!Number.isInteger(timestamp) || Math.abs(now / 1000 - timestamp) > toleranceSeconds) return false;
  const expected = Buffer.from(hmac(secret, timestamp, body), 'hex');
  return parts.some(([key, value]) => key === 'v1' && value !== undefined && HEX_DIGEST.test(value) && timingSafeEqual(Buffer.from(value, 'hex'), expected));
}
