import { BENCH_PRODUCT } from '../bench-stack.js';

/** The same small order every time: one line of the bench product, paid with the default test card. */
export const BENCH_ORDER_BODY = JSON.stringify({ customerId: 'cus_bench', items: [{ sku: BENCH_PRODUCT.sku, quantity: 1 }] });

/** POST /orders with a fresh Idempotency-Key, as a careful client would; resolves with the order's ID. */
export async function placeBenchOrder(apiUrl: string, idempotencyKey: string, token: string): Promise<string> {
  return (await postOrder(apiUrl, idempotencyKey, token, {}, 202, 30_000)).id;
}

/**
 * The same with `Prefer: wait=N`: one round trip that answers once the order is final. Resolves
 * with the order's ID and status, and when the request left and its answer arrived (Date.now()).
 */
export async function placeBenchOrderAndWait(
  apiUrl: string,
  idempotencyKey: string,
  token: string,
  waitSeconds: number,
): Promise<{ id: string; status: string; sentMs: number; receivedMs: number }> {
  const sentMs = Date.now();
  const body = await postOrder(apiUrl, idempotencyKey, token, { prefer: `wait=${waitSeconds}` }, 200, 30_000 + waitSeconds * 1000);
  return { id: body.id, status: body.status ?? '', sentMs, receivedMs: Date.now() };
}

/**
 * How long a careful client keeps asking again. A 503 means the order is recorded and its start is
 * late (a loaded machine), or that the API's intake is full (overload protection, as a 429 is): the
 * API asks for the same request again after `Retry-After`. Phase 7's burst of 1,000 at once meets
 * the intake's bound of 256 and is refused in part until the earlier ones are placed.
 */
const RETRY_WINDOW_MS = 120_000;

async function postOrder(apiUrl: string, idempotencyKey: string, token: string, headers: Record<string, string>, expected: number, timeoutMs: number) {
  const giveUpAt = Date.now() + RETRY_WINDOW_MS;
  for (let attempt = 1; ; attempt++) {
    const response = await fetch(`${apiUrl}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': idempotencyKey, authorization: `Bearer ${token}`, ...headers },
      body: BENCH_ORDER_BODY,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const body = (await response.json()) as { id?: string; status?: string; detail?: string };
    if ((response.status === 503 || response.status === 429) && Date.now() < giveUpAt) {
      // Spread over half a second, so the refused part of a burst does not come back all at once.
      const delayMs = 1000 * Number(response.headers.get('retry-after') ?? 1) + Math.random() * 500;
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      continue;
    }
    if (response.status !== expected || !body.id)
      throw new Error(`POST /orders answered ${response.status} (attempt ${attempt}): ${body.detail ?? JSON.stringify(body)}`);
    return { ...body, id: body.id };
  }
}
