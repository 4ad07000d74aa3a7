import { readFileSync } from 'node:fs';

/** One request schemathesis sent, as fuzz/schemathesis_hooks.py logs it. */
export interface LoggedCall {
  method: string;
  path: string;
  /** Null when no answer came (a network error). */
  status: number | null;
  contentType?: string | null;
  error?: string;
  /** What a 2xx to a write named: an id, a SKU, a product's initial stock. */
  body?: { id?: unknown; sku?: unknown; stockAvailable?: unknown };
}

/** What the accepted (2xx) writes of a run may have written; a row none of them explains was written by a refused request. */
export interface AcceptedWrites {
  orders: Set<string>;
  cancelledOrders: Set<string>;
  /** SKU -> the stock it was created with. */
  createdProducts: Map<string, number>;
  changedProducts: Set<string>;
  stockAdjustments: Set<string>;
  /** Webhook endpoints by id: registered (201), changed (PATCH 200), removed (DELETE 204). */
  createdEndpoints: Set<string>;
  changedEndpoints: Set<string>;
  deletedEndpoints: Set<string>;
}

export interface CallLogSummary {
  calls: number;
  byStatus: Map<string, number>;
  serverErrors: LoggedCall[];
  clientErrorsNotProblemJson: LoggedCall[];
  unanswered: LoggedCall[];
  accepted: AcceptedWrites;
}

export function readCallLog(path: string): LoggedCall[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as LoggedCall);
}

const isProblemJson = (contentType: string | null | undefined) => contentType?.split(';')[0]?.trim() === 'application/problem+json';

/** The write a 2xx answer made, by its route; reads and routes that write nothing name none. */
function recordAccepted(call: LoggedCall, accepted: AcceptedWrites): void {
  const { id, sku, stockAvailable } = call.body ?? {};
  const route = `${call.method} ${call.path
    .replace(/^\/orders\/[^/]+\/cancel$/, '/orders/{id}/cancel')
    .replace(/^\/products\/.+\/stock-adjustments$/, '/products/{sku}/stock-adjustments')
    .replace(/^\/products\/[^/]+$/, '/products/{sku}')
    .replace(/^\/webhook-endpoints\/[^/]+$/, '/webhook-endpoints/{id}')}`;
  if (route === 'POST /orders' && typeof id === 'string') accepted.orders.add(id);
  else if (route === 'POST /orders/{id}/cancel' && typeof id === 'string') accepted.cancelledOrders.add(id);
  else if (route === 'POST /products' && typeof sku === 'string' && typeof stockAvailable === 'number') accepted.createdProducts.set(sku, stockAvailable);
  else if (route === 'PATCH /products/{sku}' && typeof sku === 'string') accepted.changedProducts.add(sku);
  else if (route === 'POST /products/{sku}/stock-adjustments' && typeof id === 'string') accepted.stockAdjustments.add(id);
  else if (route === 'POST /webhook-endpoints' && typeof id === 'string') accepted.createdEndpoints.add(id);
  else if (route === 'PATCH /webhook-endpoints/{id}' && typeof id === 'string') accepted.changedEndpoints.add(id);
  else if (route === 'DELETE /webhook-endpoints/{id}') accepted.deletedEndpoints.add(decodeURIComponent(call.path.split('/')[2] ?? ''));
}

export function summarizeCalls(calls: LoggedCall[]): CallLogSummary {
  const summary: CallLogSummary = {
    calls: calls.length,
    byStatus: new Map(),
    serverErrors: [],
    clientErrorsNotProblemJson: [],
    unanswered: [],
    accepted: {
      orders: new Set(),
      cancelledOrders: new Set(),
      createdProducts: new Map(),
      changedProducts: new Set(),
      stockAdjustments: new Set(),
      createdEndpoints: new Set(),
      changedEndpoints: new Set(),
      deletedEndpoints: new Set(),
    },
  };
  for (const call of calls) {
    const status = call.status === null ? 'no answer' : String(call.status);
    summary.byStatus.set(status, (summary.byStatus.get(status) ?? 0) + 1);
    if (call.status === null) summary.unanswered.push(call);
    else if (call.status >= 500) summary.serverErrors.push(call);
    else if (call.status >= 400 && !isProblemJson(call.contentType)) summary.clientErrorsNotProblemJson.push(call);
    else if (call.status >= 200 && call.status < 300) recordAccepted(call, summary.accepted);
  }
  return summary;
}
