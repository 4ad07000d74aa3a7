import { isFinal, ORDER_STATUSES } from '../src/domain/order-status.js';
import { OrderStatusAttribute } from '../src/workflows/search-attributes.js';

/** An order that has not reached a final status this long after its start is worth a look. */
export const STUCK_AFTER_MS = 60_000;

/** Named rather than `NOT IN` the final ones: the Web UI's filter chips render an `IN` list, and garble `NOT IN`. */
const NOT_FINAL = ORDER_STATUSES.filter((status) => !isFinal(status));

/**
 * The visibility query for orders stuck short of a final status. Temporal's queries take absolute
 * times only (no `now()`), so the cutoff is fixed when the query is made.
 */
export function stuckOrdersQuery(now: Date = new Date(), stuckAfterMs = STUCK_AFTER_MS): string {
  const cutoff = new Date(now.getTime() - stuckAfterMs).toISOString();
  return `${OrderStatusAttribute.name} IN (${NOT_FINAL.map((status) => `'${status}'`).join(', ')}) AND StartTime < '${cutoff}'`;
}

/** The Web UI's workflow list, filtered by that query. */
export function stuckOrdersUrl(temporalUiUrl: string, namespace: string, now: Date = new Date()): string {
  // Quotes and brackets encoded too, so that a terminal's link detection takes the whole URL.
  const query = encodeURIComponent(stuckOrdersQuery(now)).replace(/['()]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${temporalUiUrl.replace(/\/+$/, '')}/namespaces/${encodeURIComponent(namespace)}/workflows?query=${query}`;
}
