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

/** A 503 means the order is recorded and its start is late (a loaded machine): the API asks for the same request again. */
const ATTEMPTS = 5;

async function postOrder(apiUrl: string, idempotencyKey: string, token: string, headers: Record<string, string>, expected: number, timeoutMs: number) {
  for (let attempt = 1; ; attempt++) {
    const response = await fetch(`${apiUrl}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': idempotencyKey, authorization: `Bearer ${token}`, ...headers },
      body: BENCH_ORDER_BODY,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const body = (await response.json()) as { id?: string; status?: string; detail?: string };
    if (response.status === 503 && attempt < ATTEMPTS) {
      await new Promise((resolve) => setTimeout(resolve, 1000 * Number(response.headers.get('retry-after') ?? 1)));
      continue;
    }
    if (response.status !== expected || !body.id)
      throw new Error(`POST /orders answered ${response.status} (attempt ${attempt}): ${body.detail ?? JSON.stringify(body)}`);
    return { ...body, id: body.id };
  }
}
