import { WithStartWorkflowOperation, WorkflowExecutionAlreadyStartedError, WorkflowIdConflictPolicy, WorkflowIdReusePolicy } from '@temporalio/client';
import { orderWorkflowId } from '../../domain/order.js';
import { describeOrderWorkflow } from '../../workflows/order-description.js';
import { ORDER_WORKFLOW_TYPE, waitForOutcomeUpdate, type OrderState, type OrderWorkflowInput } from '../../workflows/messages.js';
import type { orderWorkflow } from '../../workflows/order-workflow.js';
import { CustomerIdAttribute, OrderStatusAttribute, OrderTotalAttribute } from '../../workflows/search-attributes.js';
import type { AppDeps } from '../http/app-env.js';
import type { OrderSummary } from './schemas.js';
import { DEFAULT_TEMPORAL_DEADLINES, withinDeadline, type TemporalDeadlines } from './temporal-deadlines.js';

type WorkflowStartDeps = Pick<AppDeps, 'temporal' | 'taskQueue' | 'sagaTimings'>;

function startOptions(deps: WorkflowStartDeps, input: OrderWorkflowInput) {
  return {
    taskQueue: deps.taskQueue,
    workflowId: orderWorkflowId(input.orderId),
    args: [input] as [OrderWorkflowInput],
    workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
    workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
    ...orderVisibility(input),
  };
}

/** What a new order's execution carries for operators: its search attributes, and the summary the Web UI and `temporal workflow describe` show. */
export function orderVisibility(input: OrderWorkflowInput) {
  return {
    typedSearchAttributes: [
      { key: OrderStatusAttribute, value: 'PENDING' },
      { key: CustomerIdAttribute, value: input.customerId },
      { key: OrderTotalAttribute, value: input.total.amount / 100 },
    ],
    ...describeOrderWorkflow(input),
  };
}

/**
 * Starts the order's one workflow. USE_EXISTING makes a repeated start return the running
 * execution; REJECT_DUPLICATE keeps a finished order from ever running again. So calling this
 * twice, after a crash or a retry, never makes a second order.
 *
 * With `waitMs`, the start carries the `waitForOutcome` Update (update-with-start): one call that
 * answers once the order is final, or when the wait is over, with no polling of the database.
 *
 * Both run under a deadline (the wait's plus a margin), so a missing worker or a silent server
 * makes this throw in time instead of hanging the request. A throw does not say whether the
 * workflow started: see start-certainty.ts.
 */
export async function startOrderWorkflow(
  deps: WorkflowStartDeps,
  input: OrderWorkflowInput,
  waitMs: number,
  deadlines: Pick<TemporalDeadlines, 'callMs' | 'waitMarginMs'> = DEFAULT_TEMPORAL_DEADLINES,
): Promise<OrderState | undefined> {
  const { temporal } = deps;
  try {
    if (waitMs <= 0) {
      await withinDeadline(temporal, deadlines.callMs, () => temporal.workflow.start<typeof orderWorkflow>(ORDER_WORKFLOW_TYPE, startOptions(deps, input)));
      return undefined;
    }
    const startWorkflowOperation = new WithStartWorkflowOperation<typeof orderWorkflow>(ORDER_WORKFLOW_TYPE, startOptions(deps, input));
    return await withinDeadline(temporal, waitMs + deadlines.waitMarginMs, () =>
      temporal.workflow.executeUpdateWithStart(waitForOutcomeUpdate, { args: [{ timeoutMs: waitMs }], startWorkflowOperation }),
    );
  } catch (error) {
    // Already started and already finished: the order exists, and its status is in the read model.
    if (error instanceof WorkflowExecutionAlreadyStartedError) return undefined;
    throw error;
  }
}

/** The saga's input: the order as accepted, priced at intake, so the workflow never reads the catalogue. */
export function workflowInput(deps: WorkflowStartDeps, order: OrderSummary, paymentToken: string, requestId: string | undefined): OrderWorkflowInput {
  return {
    orderId: order.id,
    customerId: order.customerId,
    lines: order.items,
    total: order.total,
    paymentToken,
    requestId,
    ...(deps.sagaTimings ? { timings: deps.sagaTimings } : {}),
  };
}
