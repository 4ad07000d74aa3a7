import { defaultPayloadConverter } from '@temporalio/common';
import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import { orderWorkflowId } from '../domain/order.js';
import { ORDER_CONTEXT_HEADER, type OrderLogContext } from '../workflows/order-context.js';

const ORDER_WORKFLOW_ID_PREFIX = orderWorkflowId('');

/** The order an order workflow's ID names; nothing for any other workflow. */
function orderIdFromWorkflowId(workflowId: string | undefined): OrderLogContext {
  return workflowId?.startsWith(ORDER_WORKFLOW_ID_PREFIX) ? { orderId: workflowId.slice(ORDER_WORKFLOW_ID_PREFIX.length) } : {};
}

/**
 * Puts the order ID and request ID on every log line of the activity's SDK logger (`log` from
 * `@temporalio/activity`) and of the SDK's own lines about it, beside the SDK's workflowId,
 * activityType and attempt. The order ID is read from the workflow ID, so it is there from the
 * first line; the request ID comes in the header the workflow sent, which the SDK hands over only
 * once the activity runs: its own "Activity started" line precedes it.
 *
 * The SDK calls the run `workflowRunId`; it is logged as `runId`, as the workflow's lines name it.
 * The task token is a credential for completing the activity: never logged.
 */
export const orderContextActivityInterceptors: ActivityInterceptorsFactory = (ctx) => {
  let orderContext: OrderLogContext = orderIdFromWorkflowId(ctx.info.workflowExecution?.workflowId);
  return {
    inbound: {
      execute(input, next) {
        const header = input.headers[ORDER_CONTEXT_HEADER];
        if (header) orderContext = { ...orderContext, ...defaultPayloadConverter.fromPayload<OrderLogContext>(header) };
        return next(input);
      },
    },
    outbound: {
      getLogAttributes(attributes, next) {
        const { workflowRunId, taskToken: _credential, ...rest } = attributes;
        return next({ ...rest, ...(workflowRunId === undefined ? {} : { runId: workflowRunId }), ...orderContext });
      },
    },
  };
};
