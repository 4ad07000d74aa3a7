/**
 * The money and stock invariants every run must end with, once every order has settled, checked
 * from PostgreSQL and from the gateway's ledger. Returns what it found wrong, one violation per
 * order (or SKU) and rule, so a scenario or a chaos run can print exactly which orders broke.
 */
import { and, eq, ne, sql } from 'drizzle-orm';
import { charges as gatewayCharges, refunds as gatewayRefunds } from '../../simulators/payment-gateway/schema.js';
import type { Database } from '../../src/db/client.js';
import { orderItems, orders, products, reservations, stockAdjustments } from '../../src/db/schema.js';
import { isFinal, type OrderStatus } from '../../src/domain/order-status.js';
import { groupBy, type Violation } from './violation.js';

export type MoneyRule =
  /** A COMPLETED order without exactly one unrefunded charge of exactly its total. */
  | 'completed-not-charged-its-total'
  /** A FAILED or CANCELLED order whose charges are not all refunded. */
  | 'failed-not-net-zero'
  /** Two or more charges for one order. */
  | 'double-charge'
  /** A charge for an order that PostgreSQL does not know: charged and invisible. */
  | 'charge-without-order'
  /** An order not final, or final with its refund still pending, after everything settled. */
  | 'order-not-settled'
  /** Stock held for an order that is final: it will never be released or sold. */
  | 'held-for-final-order'
  /** A SKU whose initial stock (plus the admins' adjustments) is not its current stock plus what COMPLETED orders took. */
  | 'stock-does-not-add-up'
  /** Stock committed (sold) for an order that did not complete: sold and never paid for, or never released. */
  | 'committed-for-unfinished-order';

export interface MoneyViolation extends Violation {
  group: 'money' | 'stock' | 'orders';
  rule: MoneyRule;
}

/** What the gateway recorded, as the checks need it: amounts per order, refunds by charge. */
export interface LedgerCharge {
  id: string;
  orderId: string;
  amount: number;
  currency: string;
}
export interface LedgerRefund {
  orderId: string;
  chargeId: string | null;
  amount: number;
  status: 'succeeded' | 'voided';
}
export interface GatewayLedger {
  charges(): Promise<LedgerCharge[]>;
  refunds(): Promise<LedgerRefund[]>;
}

/** The simulator's ledger, read from its own schema: the whole of it, including charges for orders nobody knows. */
export function simulatorLedger(db: Database): GatewayLedger {
  return {
    charges: () =>
      db.select({ id: gatewayCharges.id, orderId: gatewayCharges.orderId, amount: gatewayCharges.amount, currency: gatewayCharges.currency }).from(gatewayCharges),
    refunds: () =>
      db
        .select({ orderId: gatewayRefunds.orderId, chargeId: gatewayRefunds.chargeId, amount: gatewayRefunds.amount, status: gatewayRefunds.status })
        .from(gatewayRefunds),
  };
}

interface OrderFacts {
  id: string;
  status: OrderStatus;
  totalAmount: number;
  currency: string;
  refundPending: boolean;
}

function paymentViolations(order: OrderFacts, charged: LedgerCharge[], refunded: LedgerRefund[]): MoneyViolation[] {
  const violations: MoneyViolation[] = [];
  const refundedCharges = new Set(refunded.filter((r) => r.status === 'succeeded').map((r) => r.chargeId));
  const standing = charged.filter((c) => !refundedCharges.has(c.id));
  const net = standing.reduce((sum, c) => sum + c.amount, 0);
  const at = (rule: MoneyRule, detail: string) => violations.push({ group: rule === 'order-not-settled' ? 'orders' : 'money', rule, orderId: order.id, detail });
  if (charged.length > 1) at('double-charge', `${charged.length} charges: ${charged.map((c) => `${c.id} ${c.amount}`).join(', ')}`);
  if (!isFinal(order.status) || order.refundPending) at('order-not-settled', `${order.status}${order.refundPending ? ' with its refund pending' : ''}`);
  if (order.status === 'COMPLETED') {
    const [only] = standing;
    const exact = standing.length === 1 && only && only.amount === order.totalAmount && only.currency.trim() === order.currency.trim();
    if (!exact) at('completed-not-charged-its-total', `total ${order.totalAmount} ${order.currency}, standing charges ${JSON.stringify(standing)}`);
  }
  if ((order.status === 'FAILED' || order.status === 'CANCELLED') && net !== 0) at('failed-not-net-zero', `${order.status} keeps ${net} charged`);
  return violations;
}

export async function findMoneyViolations({
  db,
  ledger = simulatorLedger(db),
  initialStock,
}: {
  db: Database;
  ledger?: GatewayLedger;
  /** Every SKU's stock before the run, as the catalogue seeded it; SKUs left out (or all, when absent) skip the sum. */
  initialStock?: ReadonlyMap<string, number> | Record<string, number>;
}): Promise<MoneyViolation[]> {
  const [orderRows, charged, refunded] = await Promise.all([
    db.select({ id: orders.id, status: orders.status, totalAmount: orders.totalAmount, currency: orders.currency, refundPending: orders.refundPending }).from(orders),
    ledger.charges(),
    ledger.refunds(),
  ]);
  const chargesByOrder = groupBy(charged, (c) => c.orderId);
  const refundsByOrder = groupBy(refunded, (r) => r.orderId);
  const known = new Set(orderRows.map((o) => o.id));
  const violations = orderRows.flatMap((order) => paymentViolations(order as OrderFacts, chargesByOrder.get(order.id) ?? [], refundsByOrder.get(order.id) ?? []));
  for (const [orderId, lost] of chargesByOrder) {
    if (!known.has(orderId))
      violations.push({ group: 'money', rule: 'charge-without-order', orderId, detail: `charged ${lost.map((c) => c.amount).join(' + ')} for no order` });
  }

  const held = await db
    .select({ orderId: reservations.orderId, sku: reservations.sku, status: orders.status })
    .from(reservations)
    .innerJoin(orders, eq(orders.id, reservations.orderId))
    .where(eq(reservations.status, 'HELD'));
  for (const { orderId, sku, status } of held) {
    if (isFinal(status as OrderStatus)) violations.push({ group: 'stock', rule: 'held-for-final-order', orderId, sku, detail: `${sku} held for a ${status} order` });
  }
  const committed = await db
    .select({ orderId: reservations.orderId, sku: reservations.sku, status: orders.status })
    .from(reservations)
    .innerJoin(orders, eq(orders.id, reservations.orderId))
    .where(and(eq(reservations.status, 'COMMITTED'), ne(orders.status, 'COMPLETED')));
  for (const { orderId, sku, status } of committed) {
    violations.push({ group: 'stock', rule: 'committed-for-unfinished-order', orderId, sku, detail: `${sku} committed for a ${status} order` });
  }

  const current = await db.select({ sku: products.sku, stock: products.stockAvailable }).from(products);
  const soldRows = await db
    .select({ sku: orderItems.sku, sold: sql<number>`sum(${orderItems.quantity})::int` })
    .from(orderItems)
    .innerJoin(orders, eq(orders.id, orderItems.orderId))
    .where(eq(orders.status, 'COMPLETED'))
    .groupBy(orderItems.sku);
  const adjustedRows = await db
    .select({ sku: stockAdjustments.sku, adjusted: sql<number>`sum(${stockAdjustments.quantity})::int` })
    .from(stockAdjustments)
    .groupBy(stockAdjustments.sku);
  const sold = new Map(soldRows.map((row) => [row.sku, row.sold]));
  const adjusted = new Map(adjustedRows.map((row) => [row.sku, row.adjusted]));
  const initial: ReadonlyMap<string, number> = initialStock instanceof Map ? initialStock : new Map(Object.entries(initialStock ?? {}));
  for (const { sku, stock } of current) {
    const [before, added, taken] = [initial.get(sku), adjusted.get(sku) ?? 0, sold.get(sku) ?? 0];
    if (before !== undefined && before + added !== stock + taken) {
      const detail = `initial ${before}${added ? ` + adjusted ${added}` : ''} ≠ current ${stock} + sold ${taken}${before + added < taken ? ' (oversold)' : ''}`;
      violations.push({ group: 'stock', rule: 'stock-does-not-add-up', orderId: null, sku, detail });
    }
  }
  return violations;
}
