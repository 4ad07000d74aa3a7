import { formatMoney } from '../domain/money.js';
import type { OrderWorkflowInput } from '../workflows/messages.js';

/** How an order's workflow reads in the Web UI and `temporal workflow describe`. Never the payment token. */
export interface WorkflowDescription {
  /** One line: `Order 1b2c3d4e: 3 items, $147.00`. */
  staticSummary: string;
  /** Markdown: the customer and one row per line. */
  staticDetails: string;
}

export function describeOrderWorkflow(order: Pick<OrderWorkflowInput, 'orderId' | 'customerId' | 'lines' | 'total'>): WorkflowDescription {
  const units = order.lines.reduce((sum, line) => sum + line.quantity, 0);
  const money = (amount: number) => formatMoney({ amount, currency: order.total.currency });
  return {
    staticSummary: `Order ${order.orderId.slice(0, 8)}: ${units} ${units === 1 ? 'item' : 'items'}, ${money(order.total.amount)}`,
    staticDetails: [
      `**Order** ${order.orderId}  `,
      `**Customer** ${order.customerId}  `,
      `**Total** ${money(order.total.amount)}`,
      '',
      '| SKU | Quantity | Unit price |',
      '| --- | ---: | ---: |',
      ...order.lines.map((line) => `| ${line.sku} | ${line.quantity} | ${money(line.unitPrice)} |`),
    ].join('\n'),
  };
}

type ActivityArgs = {
  lines?: { quantity: number; sku: string }[];
  total?: { amount: number; currency: string };
  customerId?: string;
  kind?: string;
  status?: string;
  reason?: string;
};

/** One line per activity, as the Web UI shows it in the event history: "Charge $147.00" rather than a bare type name. */
export function describeOrderActivity(activityType: string, args: unknown[]): string | undefined {
  const input = (args[0] ?? {}) as ActivityArgs;
  const units = input.lines?.reduce((sum, line) => sum + line.quantity, 0);
  switch (activityType) {
    case 'reserveStock':
      return `Reserve ${units} ${units === 1 ? 'item' : 'items'}: ${input.lines?.map((l) => `${l.sku} ×${l.quantity}`).join(', ')}`;
    case 'screenForFraud':
      return input.total && `Screen ${formatMoney(input.total)} for fraud`;
    case 'chargePayment':
      return input.total && `Charge ${formatMoney(input.total)}`;
    case 'refundPayment':
      return 'Refund the charge (or void its key)';
    case 'releaseStock':
      return 'Release the held stock';
    case 'confirmOrder':
      return 'Confirm the order and commit its stock';
    case 'recordOrderOutcome':
      return `Record ${input.status}${input.reason ? ` (${input.reason})` : ''}`;
    case 'notifyCustomer':
      return `Notify ${input.customerId}: ${input.kind}`;
    default:
      return undefined;
  }
}
