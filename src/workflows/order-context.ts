import type { OrderWorkflowInput } from './messages.js';

/**
 * What ties an order's log lines together across processes: the order, and the API request that
 * placed it. The workflow takes both from its input and hands them to every activity it schedules
 * in this Temporal header, so a grep for either finds the API, workflow and activity lines alike.
 *
 * Workflow code imports this module: it must stay free of I/O and Node APIs.
 */
export const ORDER_CONTEXT_HEADER = 'order-context';

export type OrderLogContext = Partial<Pick<OrderWorkflowInput, 'orderId' | 'requestId'>>;

/** The order workflow's first argument carries both fields; any other input yields what it has. */
export function orderContextFrom(workflowArgs: readonly unknown[]): OrderLogContext {
  const input = workflowArgs[0];
  if (typeof input !== 'object' || input === null) return {};
  const { orderId, requestId } = input as Record<string, unknown>;
  return {
    ...(typeof orderId === 'string' ? { orderId } : {}),
    ...(typeof requestId === 'string' ? { requestId } : {}),
  };
}
