import { formatMoney } from '../domain/money.js';
import type { OrderWorkflowInput } from './messages.js';

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
