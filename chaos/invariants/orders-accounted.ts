import type { Database } from '../../src/db/client.js';
import { idempotencyKeys, orders } from '../../src/db/schema.js';
import type { WorkflowRun } from './temporal-facts.js';
import { orderIdOfWorkflow } from './temporal-facts.js';
import { groupBy, type Violation } from './violation.js';

/** One 2xx the API gave to a POST /orders: the order it named, for whom, under which key. */
export interface AcceptedOrder {
  orderId: string;
  customerId: string;
  idempotencyKey?: string;
}

/** The reconciler fails an orphan it cannot start (no payment token kept): that order never has a workflow, by design. */
const neverStarted = (row: { status: string; failureReason: string | null }) => row.status === 'FAILED' && row.failureReason === 'INVALID_ORDER';

/**
 * No order lost or stuck: every order the API accepted has a row and exactly one workflow; every row
 * and every order workflow have each other; nothing is still running once the run has drained.
 * Idempotency: one order per (customer, Idempotency-Key), in the API's answers and in its table.
 */
export async function findAccountingViolations({
  db,
  runs,
  accepted = [],
}: {
  db: Database;
  runs: readonly WorkflowRun[];
  /** What the run's clients were told; empty for a stack whose clients are not known (`chaos check`). */
  accepted?: readonly AcceptedOrder[];
}): Promise<Violation[]> {
  const violations: Violation[] = [];
  const rows = await db.select({ id: orders.id, customerId: orders.customerId, status: orders.status, failureReason: orders.failureReason }).from(orders);
  const rowsById = new Map(rows.map((row) => [row.id, row]));
  const runsByOrder = groupBy(runs, (run) => orderIdOfWorkflow(run.workflowId)!);
  const orderViolation = (rule: string, orderId: string, detail: string) => violations.push({ group: 'orders', rule, orderId, detail });

  const acceptedIds = new Set(accepted.map((a) => a.orderId));
  for (const orderId of acceptedIds) {
    if (!rowsById.has(orderId)) orderViolation('accepted-without-row', orderId, 'the API answered 2xx for it, PostgreSQL has no row');
    if (!runsByOrder.has(orderId)) orderViolation('accepted-without-workflow', orderId, 'the API answered 2xx for it, Temporal has no workflow');
  }
  for (const row of rows) {
    if (!runsByOrder.has(row.id) && !neverStarted(row) && !acceptedIds.has(row.id)) {
      orderViolation('row-without-workflow', row.id, `a ${row.status} order with no workflow`);
    }
  }
  for (const [orderId, ofOrder] of runsByOrder) {
    if (ofOrder.length > 1) orderViolation('more-than-one-workflow', orderId, `${ofOrder.length} runs: ${ofOrder.map((r) => `${r.runId} ${r.status}`).join(', ')}`);
    if (!rowsById.has(orderId)) orderViolation('workflow-without-row', orderId, `workflow ${ofOrder[0]!.workflowId} has no order row`);
    for (const run of ofOrder) if (run.status === 'RUNNING') orderViolation('workflow-still-running', orderId, `run ${run.runId} is still running after the drain`);
  }

  for (const [key, answers] of groupBy(
    accepted.filter((a) => a.idempotencyKey !== undefined),
    (a) => `${a.customerId}\u0000${a.idempotencyKey}`,
  )) {
    const ids = [...new Set(answers.map((a) => a.orderId))];
    if (ids.length > 1) {
      const [customerId, idempotencyKey] = key.split('\u0000');
      for (const orderId of ids) {
        violations.push({
          group: 'idempotency',
          rule: 'one-key-two-orders',
          orderId,
          detail: `${customerId} key ${idempotencyKey} was answered with ${ids.join(' and ')}`,
        });
      }
    }
  }
  const keyed = await db.select({ customerId: idempotencyKeys.customerId, key: idempotencyKeys.key, orderId: idempotencyKeys.orderId }).from(idempotencyKeys);
  for (const { customerId, key, orderId } of keyed) {
    const row = rowsById.get(orderId);
    if (!row) violations.push({ group: 'idempotency', rule: 'key-without-order', orderId, detail: `${customerId} key ${key} names an order that does not exist` });
    else if (row.customerId !== customerId) {
      violations.push({ group: 'idempotency', rule: 'key-of-another-customer', orderId, detail: `${customerId} key ${key} names ${row.customerId}'s order` });
    }
  }
  return violations;
}
