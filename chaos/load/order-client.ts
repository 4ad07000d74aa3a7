import { setTimeout as sleep } from 'node:timers/promises';
import type { AcceptedOrder } from '../invariants/index.js';
import type { StatusTally } from './status-tally.js';

export interface OrderBody {
  items: { sku: string; quantity: number }[];
  paymentToken?: string;
}

export interface RetryingClientOptions {
  apiUrl: string;
  tally: StatusTally;
  /** Where the cancels' answers are counted, apart from the POSTs'. */
  cancelTally?: StatusTally;
  /** How long one order keeps being retried before the client gives up on it. */
  giveUpAfterMs: number;
}

/** How long to wait before the next attempt: the server's Retry-After when it gave one (capped), else backoff. */
function retryDelayMs(attempt: number, retryAfter: string | null): number {
  const told = retryAfter ? Number(retryAfter) * 1000 : NaN;
  return Number.isFinite(told) ? Math.min(Math.max(told, 100), 5000) : Math.min(250 * 2 ** attempt, 3000);
}

/** 5xx, 429 and no answer at all may be retried with the same key; anything else is the answer. */
const retryable = (status: number | 'ERR') => status === 'ERR' || status === 429 || status >= 500;

/**
 * A careful client: every POST carries an Idempotency-Key, and a request that failed for a reason
 * that may pass (no answer, 5xx, 429) is sent again with the same key until the deadline. Every
 * answer is tallied; a 2xx is an accepted order.
 */
export function retryingOrderClient({ apiUrl, tally, cancelTally = tally, giveUpAfterMs }: RetryingClientOptions) {
  async function send(method: string, path: string, token: string, key: string, body: unknown, answers: StatusTally): Promise<{ status: number | 'ERR'; json: unknown }> {
    const deadline = Date.now() + giveUpAfterMs;
    for (let attempt = 0; ; attempt++) {
      let status: number | 'ERR' = 'ERR';
      let json: unknown;
      let retryAfter: string | null = null;
      try {
        const response = await fetch(apiUrl + path, {
          method,
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'idempotency-key': key },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(15_000),
        });
        status = response.status;
        retryAfter = response.headers.get('retry-after');
        json = await response.json().catch(() => undefined);
      } catch {
        status = 'ERR';
      }
      answers.record(status);
      if (!retryable(status) || Date.now() >= deadline) return { status, json };
      await sleep(retryDelayMs(attempt, retryAfter));
    }
  }

  return {
    /** Resolves with the accepted order, or undefined when the API refused it or never answered 2xx. */
    async placeOrder(customer: { id: string; token: string }, key: string, body: OrderBody): Promise<AcceptedOrder | undefined> {
      const { status, json } = await send('POST', '/orders', customer.token, key, body, tally);
      const id = (json as { id?: unknown } | undefined)?.id;
      if (typeof status === 'number' && status >= 200 && status < 300 && typeof id === 'string') return { orderId: id, customerId: customer.id, idempotencyKey: key };
      return undefined;
    },
    /** The cancel's final status (200, 202, 409 ...), or ERR. */
    async cancelOrder(customer: { token: string }, orderId: string, key: string): Promise<number | 'ERR'> {
      return (await send('POST', `/orders/${orderId}/cancel`, customer.token, key, { reason: 'chaos cancel-race' }, cancelTally)).status;
    },
  };
}

export type RetryingOrderClient = ReturnType<typeof retryingOrderClient>;
