import type { Client } from '@temporalio/client';
import { orderWorkflowId } from '../../src/domain/order.js';
import type { OrderState } from '../../src/workflows/messages.js';
import type { orderWorkflow } from '../../src/workflows/order-workflow.js';

export interface PlacedOrder {
  orderId: string;
  placedAt: number;
  /** When its workflow returned, and the status it returned with; absent while in flight. */
  finishedAt?: number;
  status?: OrderState['status'];
  /** An error placing it or waiting for it: the rollout counts it as failed. */
  error?: string;
}

export interface OrderLoad {
  orders: PlacedOrder[];
  /** The orders placed and not yet finished, at this moment. */
  inFlight(): PlacedOrder[];
  /** Stops placing new orders and waits for every placed one to finish. */
  stop(): Promise<PlacedOrder[]>;
}

export interface OrderLoadOptions {
  apiUrl: string;
  adminToken: string;
  temporal: Client;
  /** Customers placing orders at once, each placing the next when its last one finished. */
  concurrency: number;
  items: { sku: string; quantity: number }[];
}

/** Places one order over the API, as a customer's checkout does; the order's id. */
export async function placeOrder({ apiUrl, adminToken, items }: Pick<OrderLoadOptions, 'apiUrl' | 'adminToken' | 'items'>, customerId: string): Promise<string> {
  const response = await fetch(`${apiUrl}/orders`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ customerId, items }),
  });
  const body = (await response.json()) as { id?: string; detail?: string };
  if (response.status !== 202 || !body.id) throw new Error(`POST /orders answered ${response.status}: ${body.detail ?? JSON.stringify(body)}`);
  return body.id;
}

/** Follows one order to the state its workflow returns. */
export async function followOrder(temporal: Client, order: PlacedOrder): Promise<void> {
  try {
    const result: OrderState = await temporal.workflow.getHandle<typeof orderWorkflow>(orderWorkflowId(order.orderId)).result();
    order.status = result.status;
  } catch (error) {
    order.error = (error as Error).message;
  }
  order.finishedAt = Date.now();
}

/**
 * A closed loop of customers: each places an order, waits until it is final, and places the next,
 * so that orders are always in flight, at a rate the machine sets, while the deploy goes on.
 */
export function startOrderLoad(options: OrderLoadOptions): OrderLoad {
  const orders: PlacedOrder[] = [];
  let placing = true;
  const customer = async (n: number) => {
    while (placing) {
      const placedAt = Date.now();
      try {
        const order: PlacedOrder = { orderId: await placeOrder(options, `cus_rollout_${n}`), placedAt };
        orders.push(order);
        await followOrder(options.temporal, order);
      } catch (error) {
        orders.push({ orderId: `(not placed ${orders.length})`, placedAt, finishedAt: Date.now(), error: (error as Error).message });
      }
    }
  };
  const customers = Array.from({ length: options.concurrency }, (_, n) => customer(n));
  return {
    orders,
    inFlight: () => orders.filter((o) => o.finishedAt === undefined),
    async stop() {
      placing = false;
      await Promise.all(customers);
      return orders;
    },
  };
}
