import { orderWorkflowId } from '../../domain/order.js';
import type { Principal } from '../http/principal.js';

/** Where operators open a workflow: the Temporal Web UI's base URL and the namespace the API starts orders in. */
export interface TemporalUiLocation {
  url: string;
  namespace: string;
}

/** The order's workflow in the Web UI; the UI opens the latest run of a workflow ID without its run ID. */
export function workflowUiUrl({ url, namespace }: TemporalUiLocation, orderId: string): string {
  return `${url.replace(/\/+$/, '')}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(orderWorkflowId(orderId))}`;
}

/**
 * The RFC 8288 `Link` header every order answer carries: its history for anyone who may read the
 * order, and the workflow in the Web UI for admins only, since a customer has no business (and no
 * access) there and the URL names the namespace.
 */
export function orderLinkHeader(orderId: string, principal: Principal, ui: TemporalUiLocation | undefined): string {
  const links = [`</orders/${orderId}/history>; rel="history"`];
  if (ui && principal.role === 'admin') links.push(`<${workflowUiUrl(ui, orderId)}>; rel="temporal-ui"`);
  return links.join(', ');
}
