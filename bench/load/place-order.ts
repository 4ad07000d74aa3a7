import { BENCH_PRODUCT } from '../bench-stack.js';

/** The same small order every time: one line of the bench product, paid with the default test card. */
export const BENCH_ORDER_BODY = JSON.stringify({ customerId: 'cus_bench', items: [{ sku: BENCH_PRODUCT.sku, quantity: 1 }] });

/** POST /orders with a fresh Idempotency-Key, as a careful client would; resolves with the order's ID. */
export async function placeBenchOrder(apiUrl: string, idempotencyKey: string, token: string): Promise<string> {
  const response = await fetch(`${apiUrl}/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': idempotencyKey, authorization: `Bearer ${token}` },
    body: BENCH_ORDER_BODY,
    signal: AbortSignal.timeout(30_000),
  });
  const body = (await response.json()) as { id?: string; detail?: string };
  if (response.status !== 202 || !body.id) throw new Error(`POST /orders answered ${response.status}: ${body.detail ?? JSON.stringify(body)}`);
  return body.id;
}
