import type { Client } from '@temporalio/client';
import type { DatabaseHandle } from '../src/db/client.js';
import { orderWorkflowId } from '../src/domain/order.js';
import { webhookDispatcherWorkflowId } from '../src/workflows/webhook-messages.js';
import type { AcceptedWrites } from './call-log.js';

interface ProductRow {
  sku: string;
  name: string;
  unitPrice: number;
  currency: string;
  stockAvailable: number;
}

/** What the stack holds before the fuzzer starts: every row and workflow found after must be this or explained by a 2xx. */
export interface StoreSnapshot {
  orders: Set<string>;
  keyOrders: Set<string>;
  stockAdjustments: Set<string>;
  products: Map<string, ProductRow>;
  /** Per SKU, stock available + units held or sold - units adjusted: only creating the product sets it. */
  stockBalance: Map<string, number>;
  workflows: Set<string>;
  /** Event id -> its order. */
  events: Map<string, string>;
  /** Endpoint id -> its URL, types, status and description, as one string to compare. */
  endpoints: Map<string, string>;
  /** `endpointId/eventId` of every delivery. */
  deliveries: Set<string>;
}

/** One statement, so one snapshot: a reservation and the stock it takes change in one transaction. */
async function stockBalance({ sql }: DatabaseHandle): Promise<Map<string, number>> {
  const rows = await sql<{ sku: string; balance: number }[]>`
    select p.sku, (p.stock_available
      + coalesce((select sum(quantity) from reservations r where r.sku = p.sku and r.status in ('HELD', 'COMMITTED')), 0)
      - coalesce((select sum(quantity) from stock_adjustments a where a.sku = p.sku), 0))::int as balance
    from products p`;
  return new Map(rows.map((r) => [r.sku, r.balance]));
}

async function workflowIds(temporal: Client): Promise<Set<string>> {
  const ids = new Set<string>();
  for await (const execution of temporal.workflow.list()) ids.add(execution.workflowId);
  return ids;
}

export async function takeSnapshot(database: DatabaseHandle, temporal: Client): Promise<StoreSnapshot> {
  const { sql } = database;
  const [orders, keys, adjustments, products, events, endpoints, deliveries] = await Promise.all([
    sql<{ id: string }[]>`select id from orders`,
    sql<{ orderId: string }[]>`select order_id as "orderId" from idempotency_keys`,
    sql<{ id: string }[]>`select id from stock_adjustments`,
    sql<ProductRow[]>`select sku, name, unit_price as "unitPrice", currency, stock_available as "stockAvailable" from products`,
    sql<{ id: string; orderId: string }[]>`select id, order_id as "orderId" from order_events`,
    sql<{ id: string; state: string }[]>`select id, concat_ws(' ', url, event_types::text, status, description) as state from webhook_endpoints`,
    sql<{ key: string }[]>`select endpoint_id || '/' || event_id as key from webhook_deliveries`,
  ]);
  return {
    orders: new Set(orders.map((r) => r.id)),
    keyOrders: new Set(keys.map((r) => r.orderId)),
    stockAdjustments: new Set(adjustments.map((r) => r.id)),
    products: new Map(products.map((p) => [p.sku, p])),
    stockBalance: await stockBalance(database),
    workflows: await workflowIds(temporal),
    events: new Map(events.map((r) => [r.id, r.orderId])),
    endpoints: new Map(endpoints.map((r) => [r.id, r.state])),
    deliveries: new Set(deliveries.map((r) => r.key)),
  };
}

/** A row or workflow no accepted request explains, or an accepted one that is missing. */
export interface Unexplained {
  what: string;
  ids: string[];
}

const sample = (ids: Iterable<string>) => [...ids].slice(0, 10);

/**
 * Compares the store after a fuzz run with the snapshot before it and the 2xx answers between.
 * Any concurrency and any mix of valid and invalid cases is sound: what a refused request wrote is
 * whatever no accepted one can account for.
 */
export async function auditWrites(database: DatabaseHandle, temporal: Client, before: StoreSnapshot, accepted: AcceptedWrites): Promise<Unexplained[]> {
  const after = await takeSnapshot(database, temporal);
  const found: Unexplained[] = [];
  const report = (what: string, ids: Iterable<string>) => {
    const list = [...ids];
    if (list.length > 0) found.push({ what, ids: sample(list) });
  };
  const newOf = (now: Set<string>, then: Set<string>) => [...now].filter((id) => !then.has(id));

  report(
    'orders no 2xx accepted',
    newOf(after.orders, before.orders).filter((id) => !accepted.orders.has(id)),
  );
  report(
    'orders a 2xx accepted but the database lacks',
    [...accepted.orders].filter((id) => !after.orders.has(id)),
  );
  report(
    'idempotency keys for no accepted order',
    newOf(after.keyOrders, before.keyOrders).filter((id) => !accepted.orders.has(id)),
  );
  // An order's workflow, and a registered endpoint's dispatcher.
  const acceptedWorkflows = new Set([...accepted.orders].map(orderWorkflowId));
  const acceptedDispatchers = new Set([...accepted.createdEndpoints].map(webhookDispatcherWorkflowId));
  report(
    'workflows no accepted order explains',
    newOf(after.workflows, before.workflows).filter((id) => !acceptedWorkflows.has(id) && !acceptedDispatchers.has(id)),
  );
  report(
    'accepted orders without a workflow',
    [...acceptedWorkflows].filter((id) => !after.workflows.has(id)),
  );
  report(
    'stock adjustments no 2xx accepted',
    newOf(after.stockAdjustments, before.stockAdjustments).filter((id) => !accepted.stockAdjustments.has(id)),
  );
  report(
    'products no 2xx created',
    [...after.products.keys()].filter((sku) => !before.products.has(sku) && !accepted.createdProducts.has(sku)),
  );
  report(
    'products whose name, price or currency changed with no 2xx PATCH',
    [...after.products.values()]
      .filter((now) => {
        const then = before.products.get(now.sku);
        return then && (then.name !== now.name || then.unitPrice !== now.unitPrice || then.currency !== now.currency) && !accepted.changedProducts.has(now.sku);
      })
      .map((p) => p.sku),
  );

  report(
    'order events for no accepted order',
    newOf(new Set(after.events.keys()), new Set(before.events.keys())).filter((id) => {
      const orderId = after.events.get(id)!;
      return !accepted.orders.has(orderId) && !before.orders.has(orderId);
    }),
  );
  const withEvents = new Set(after.events.values());
  report(
    'accepted orders without their order.created',
    [...accepted.orders].filter((id) => after.orders.has(id) && !withEvents.has(id)),
  );
  report(
    'webhook endpoints no 2xx registered',
    newOf(new Set(after.endpoints.keys()), new Set(before.endpoints.keys())).filter((id) => !accepted.createdEndpoints.has(id)),
  );
  report(
    'webhook endpoints changed with no 2xx PATCH',
    [...before.endpoints].filter(([id, state]) => after.endpoints.has(id) && after.endpoints.get(id) !== state && !accepted.changedEndpoints.has(id)).map(([id]) => id),
  );
  report(
    'webhook endpoints gone with no 2xx DELETE',
    [...before.endpoints.keys()].filter((id) => !after.endpoints.has(id) && !accepted.deletedEndpoints.has(id)),
  );
  report(
    'webhook deliveries to no endpoint a 2xx registered',
    newOf(after.deliveries, before.deliveries).filter((key) => {
      const endpointId = key.split('/')[0]!;
      return !before.endpoints.has(endpointId) && !accepted.createdEndpoints.has(endpointId);
    }),
  );

  const cancelled = await database.sql<{ id: string }[]>`select id from orders where status = 'CANCELLED'`;
  report(
    'orders CANCELLED with no 2xx cancel',
    cancelled.map((r) => r.id).filter((id) => !accepted.cancelledOrders.has(id)),
  );

  report(
    'SKUs whose stock moved other than by an accepted order or adjustment',
    [...after.stockBalance].filter(([sku, balance]) => balance !== (before.stockBalance.get(sku) ?? accepted.createdProducts.get(sku))).map(([sku]) => sku),
  );
  return found;
}
