import type { Database } from '../../src/db/client.js';
import { orders } from '../../src/db/schema.js';
import { orderIdOfWorkflow, type WorkflowRun } from './temporal-facts.js';
import { clip, type Violation } from './violation.js';

/**
 * Once drained, PostgreSQL's status is the workflow's result and the `OrderStatus` search
 * attribute: the read model, the history and visibility tell one story. A workflow that closed
 * other than COMPLETED (failed, terminated, timed out) has no result and breaks it too.
 */
export async function findReadModelViolations({ db, runs }: { db: Database; runs: readonly WorkflowRun[] }): Promise<Violation[]> {
  const violations: Violation[] = [];
  const rows = await db.select({ id: orders.id, status: orders.status }).from(orders);
  const statusById = new Map(rows.map((row) => [row.id, row.status]));
  const at = (rule: string, orderId: string, detail: string) => violations.push({ group: 'read-model', rule, orderId, detail });
  for (const run of runs) {
    const orderId = orderIdOfWorkflow(run.workflowId)!;
    const status = statusById.get(orderId);
    if (status === undefined || run.status === 'RUNNING') continue; // reported as a lost or stuck order
    if (run.status !== 'COMPLETED') {
      at('workflow-did-not-complete', orderId, `run ${run.runId} closed ${run.status}; the database says ${status}`);
      continue;
    }
    if (run.orderStatus !== status) at('search-attribute-differs', orderId, `OrderStatus ${run.orderStatus ?? '(unset)'}, database ${status}`);
    if (run.resultError) at('workflow-result-unreadable', orderId, clip(run.resultError));
    else if (run.result?.status !== status) at('workflow-result-differs', orderId, `workflow result ${run.result?.status ?? '(none)'}, database ${status}`);
  }
  return violations;
}
