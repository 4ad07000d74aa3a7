import { waitFor } from '../../devstack/wait-for.js';
import type { OrderSummary } from '../../src/api/orders/index.js';
import type { OrderStatus } from '../../src/domain/order-status.js';

export interface ApiResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

/** The token `call` sends to an API when the test names none: the order stack registers its admin token here. */
const defaultTokens = new Map<string, string>();

export function setDefaultToken(baseUrl: string, token: string | undefined): void {
  if (token === undefined) defaultTokens.delete(baseUrl);
  else defaultTokens.set(baseUrl, token);
}

export interface CallOptions {
  /** The bearer token; the API's default (the stack's admin) when absent; null sends none. */
  token?: string | null;
}

/**
 * One request over HTTP, as a client sends it: a state change says it is JSON even without a body,
 * and a bearer token goes along. Headers given win over both.
 */
export async function call<T = unknown>(
  baseUrl: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
  { token = defaultTokens.get(baseUrl) }: CallOptions = {},
): Promise<ApiResponse<T>> {
  const stateChanging = !['GET', 'HEAD', 'OPTIONS'].includes(method.toUpperCase());
  const response = await fetch(baseUrl + path, {
    method,
    headers: {
      ...(body !== undefined || stateChanging ? { 'content-type': 'application/json' } : {}),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, headers: response.headers, body: parsed as T };
}

export function anOrderRequest(overrides: { customerId?: string; items?: { sku: string; quantity: number }[]; paymentToken?: string } = {}) {
  return { customerId: 'cus_e2e', items: [{ sku: 'KBD-001', quantity: 1 }], ...overrides };
}

/** Polls GET /orders/:id until the order reaches one of `statuses`; says what it last saw if it never does. */
/** Waits for one of `statuses`; a final order counts once it is settled, with no refund still pending. */
export function waitForOrderStatus(baseUrl: string, orderId: string, statuses: OrderStatus[], timeoutMs = 30_000): Promise<OrderSummary> {
  return waitFor(
    `order ${orderId} to reach ${statuses.join(' or ')}`,
    async () => {
      const { body } = await call<OrderSummary>(baseUrl, 'GET', `/orders/${orderId}`);
      if (statuses.includes(body.status) && !body.refundPending) return body;
      throw new Error(`status ${body.status}${body.refundPending ? ', refund pending' : ''}`);
    },
    { timeoutMs, intervalMs: 100 },
  );
}

export async function stockOf(baseUrl: string, sku: string): Promise<number> {
  const { body } = await call<{ data: { sku: string; stockAvailable: number }[] }>(baseUrl, 'GET', '/products');
  const product = body.data.find((p) => p.sku === sku);
  if (!product) throw new Error(`no product ${sku}`);
  return product.stockAvailable;
}
