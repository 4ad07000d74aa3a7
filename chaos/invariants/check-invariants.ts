import type { Client } from '@temporalio/client';
import type { Database } from '../../src/db/client.js';
import { orders } from '../../src/db/schema.js';
import { findMoneyViolations, simulatorLedger, type GatewayLedger } from './money.js';
import { findNotificationViolations } from './notifications.js';
import { findEventViolations } from './order-events.js';
import { findAccountingViolations, type AcceptedOrder } from './orders-accounted.js';
import { findReadModelViolations } from './read-model.js';
import { orderWorkflowRuns, type WorkflowRun } from './temporal-facts.js';
import type { Violation } from './violation.js';

export interface InvariantInputs {
  /** The order tables. */
  db: Database;
  /** The gateway's ledger; by default the simulator's tables in `db` (its own schema there). */
  ledger?: GatewayLedger;
  /** A client of the stack's Temporal, with its payload codec. */
  temporal: Client;
  /** Only the order workflows of this task queue, where stacks share a server. */
  taskQueue?: string;
  /** Stock per SKU before the run; SKUs left out skip the stock sum (the other stock rules still hold). */
  initialStock?: ReadonlyMap<string, number> | Record<string, number>;
  /** Every order the API answered 2xx for; empty when the clients are not known. */
  accepted?: readonly AcceptedOrder[];
}

export interface InvariantReport {
  violations: Violation[];
  /** The order workflow runs visibility listed. */
  runs: WorkflowRun[];
  /** What was looked at, so a clean report over nothing is visibly about nothing. */
  checked: { orders: number; workflows: number; accepted: number };
}

/** All six rule groups of the chaos issue, and the events issue's, over PostgreSQL, the gateway's ledger and Temporal, once the run has drained. */
export async function checkInvariants(inputs: InvariantInputs): Promise<InvariantReport> {
  const runs: WorkflowRun[] = await orderWorkflowRuns(inputs.temporal, { taskQueue: inputs.taskQueue });
  const ledger = inputs.ledger ?? simulatorLedger(inputs.db);
  const [money, accounting, notifications, readModel, events] = await Promise.all([
    findMoneyViolations({ db: inputs.db, ledger, initialStock: inputs.initialStock }),
    findAccountingViolations({ db: inputs.db, runs, accepted: inputs.accepted }),
    findNotificationViolations(inputs.db),
    findReadModelViolations({ db: inputs.db, runs }),
    findEventViolations({ db: inputs.db, ledger }),
  ]);
  const orderCount = await inputs.db.$count(orders);
  return {
    violations: [...accounting, ...money, ...notifications, ...readModel, ...events],
    runs,
    checked: { orders: orderCount, workflows: runs.length, accepted: new Set(inputs.accepted?.map((a) => a.orderId)).size },
  };
}
