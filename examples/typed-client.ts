/**
 * The Orders API from TypeScript, typed end to end by the committed client/openapi.d.ts
 * (`npm run client:generate`) through openapi-fetch: paths, parameters, bodies and every documented
 * response, problem+json errors included, are checked by the compiler.
 *
 *   npx tsx examples/typed-client.ts                  # against http://127.0.0.1:3000 (npm start)
 *   API_URL=http://orders.internal npx tsx examples/typed-client.ts
 */
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import createClient, { type Client } from 'openapi-fetch';
import type { components, paths } from '../client/openapi.js';

export type Order = components['schemas']['Order'];
export type CancelResult = components['schemas']['CancelResult'];
/** RFC 9457 problem details, as every documented error carries them. */
export type Problem = paths['/orders']['post']['responses'][400]['content']['application/problem+json'];

const FINAL_STATUSES: ReadonlySet<Order['status']> = new Set(['COMPLETED', 'FAILED', 'CANCELLED']);

export interface TourOptions {
  baseUrl: string;
  /** Sent on every request, e.g. `{ authorization: 'Bearer …' }` once the API asks for a token. */
  headers?: Record<string, string>;
  customerId?: string;
  /** How long an order may take to reach a final status. */
  finalWithinMs?: number;
  log?: (line: string) => void;
}

export interface TourOutcome {
  /** The first order, followed to its final status. */
  placed: Order;
  /** The same POST sent again with the same Idempotency-Key: the same order, marked as a replay. */
  retry: { sameOrder: boolean; replayed: boolean };
  /** The second order, cancelled right after it was placed: CANCELLED, or a 409 problem if it got past the point of no return first. */
  cancel: { result: CancelResult } | { tooLate: Problem };
  /** What an order for a SKU the catalogue does not have gets back. */
  rejected: { status: number; problem: Problem };
}

/** The problem in an openapi-fetch error, or a readable failure for an answer that is not one. */
function problemOf(error: unknown, response: Response): Problem {
  if (error && typeof error === 'object' && 'title' in error) return error as Problem;
  throw new Error(`${response.url} answered ${response.status} without a problem body: ${JSON.stringify(error)}`);
}

const describeProblem = (p: Problem) => [`${p.status} ${p.title}: ${p.detail}`, ...(p.errors ?? []).map((e) => `  ${e.pointer}: ${e.detail}`)].join('\n');

/**
 * Places an order with an Idempotency-Key (and retries it safely), follows it until it is final,
 * places and cancels another, and shows what a refused order looks like.
 */
export async function runTypedClientTour({
  baseUrl,
  headers,
  customerId = `cus_${randomUUID().slice(0, 8)}`,
  finalWithinMs = 60_000,
  log = console.log,
}: TourOptions): Promise<TourOutcome> {
  const api = createClient<paths>({ baseUrl, headers });

  const catalogue = await api.GET('/products');
  if (!catalogue.data) throw new Error(`GET /products: ${describeProblem(problemOf(catalogue.error, catalogue.response))}`);
  const product = catalogue.data.data.find((p) => p.stockAvailable >= 2);
  if (!product) throw new Error('No product has two in stock');
  log(`Ordering ${product.sku} (${product.name}) as ${customerId}`);

  const placeOrder = (idempotencyKey: string) =>
    api.POST('/orders', { params: { header: { 'idempotency-key': idempotencyKey } }, body: { customerId, items: [{ sku: product.sku, quantity: 1 }] } });

  // A key per intended order: a retry after a timeout or a dropped connection then never orders twice.
  const key = randomUUID();
  const first = await placeOrder(key);
  if (!first.data) throw new Error(`POST /orders: ${describeProblem(problemOf(first.error, first.response))}`);
  log(`Placed order ${first.data.id}: ${first.response.status} ${first.data.status}, Location ${first.response.headers.get('location')}`);
  const again = await placeOrder(key);
  const retry = { sameOrder: again.data?.id === first.data.id, replayed: again.response.headers.get('idempotent-replayed') === 'true' };
  log(`Sent again with the same Idempotency-Key: ${retry.sameOrder ? 'the same order' : 'a different order!'}${retry.replayed ? ' (Idempotent-Replayed: true)' : ''}`);

  const placed = await followUntilFinal(api, first.data.id, finalWithinMs, log);

  const second = await placeOrder(randomUUID());
  if (!second.data) throw new Error(`POST /orders: ${describeProblem(problemOf(second.error, second.response))}`);
  const cancel = await api.POST('/orders/{id}/cancel', {
    params: { path: { id: second.data.id }, header: { 'idempotency-key': randomUUID() } },
    body: { reason: 'ordered by mistake' },
  });
  let cancelled: TourOutcome['cancel'];
  if (cancel.data) {
    cancelled = { result: cancel.data };
    log(`Cancelled order ${cancel.data.id}: ${cancel.data.status}`);
  } else if (cancel.response.status === 409) {
    // The charge went through before the cancel arrived: a normal answer, not a failure of the client.
    cancelled = { tooLate: problemOf(cancel.error, cancel.response) };
    log(`Too late to cancel order ${second.data.id}: ${describeProblem(cancelled.tooLate)}`);
  } else {
    throw new Error(`Cancel ${second.data.id}: ${describeProblem(problemOf(cancel.error, cancel.response))}`);
  }

  const unknownSku = await api.POST('/orders', { body: { customerId, items: [{ sku: 'NO-SUCH-SKU', quantity: 1 }] } });
  if (unknownSku.data) throw new Error(`An order for an unknown SKU was accepted: ${unknownSku.data.id}`);
  const problem = problemOf(unknownSku.error, unknownSku.response);
  log(`Refused, as application/problem+json:\n${describeProblem(problem)}`);

  return { placed, retry, cancel: cancelled, rejected: { status: unknownSku.response.status, problem } };
}

/** Polls GET /orders/{id} until the saga has finished with the order one way or the other. */
async function followUntilFinal(api: Client<paths>, id: string, withinMs: number, log: (line: string) => void): Promise<Order> {
  const deadline = Date.now() + withinMs;
  let last: Order['status'] | undefined;
  for (;;) {
    const { data, error, response } = await api.GET('/orders/{id}', { params: { path: { id } } });
    if (!data) throw new Error(`GET /orders/${id}: ${describeProblem(problemOf(error, response))}`);
    if (data.status !== last) log(`  ${id}: ${data.status}${data.failureReason ? ` (${data.failureReason})` : ''}`);
    last = data.status;
    if (FINAL_STATUSES.has(data.status)) return data;
    if (Date.now() > deadline) throw new Error(`Order ${id} is still ${data.status} after ${withinMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const baseUrl = process.env.API_URL ?? 'http://127.0.0.1:3000';
  // A customer token (npm start prints the demo one): TOKEN=… npx tsx examples/typed-client.ts
  const headers = process.env.TOKEN ? { authorization: `Bearer ${process.env.TOKEN}` } : undefined;
  await runTypedClientTour({ baseUrl, headers, ...(process.env.TOKEN ? { customerId: 'cus_demo' } : {}) }).catch((error: unknown) => {
    const unreachable = error instanceof TypeError && error.message === 'fetch failed';
    console.error(unreachable ? `No API answers at ${baseUrl}: start one with \`npm start\`, or set API_URL.` : error);
    process.exit(1);
  });
}
