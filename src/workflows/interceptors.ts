/**
 * Workflow interceptors, bundled with the workflow code (`interceptors.workflowModules` or
 * `bundleWorkflowCode({ workflowInterceptorModules })`). They put the order ID and request ID on
 * the workflow's own log lines, pass them to every activity in a header, and give each activity a
 * one-line summary for the Web UI. Headers and log
 * attributes are not part of the commands Temporal replays, so this changes no history.
 */
import { defaultPayloadConverter, type Headers } from '@temporalio/common';
import type { WorkflowInterceptorsFactory } from '@temporalio/workflow';
import { ORDER_CONTEXT_HEADER, orderContextFrom, type OrderLogContext } from './order-context.js';
import { describeOrderActivity } from './saga-steps.js';

export const interceptors: WorkflowInterceptorsFactory = () => {
  // One factory call per workflow execution, so this is the execution's own state.
  let orderContext: OrderLogContext = {};
  const withOrderContext = (headers: Headers): Headers => ({ ...headers, [ORDER_CONTEXT_HEADER]: defaultPayloadConverter.toPayload(orderContext) });
  return {
    inbound: [
      {
        execute(input, next) {
          orderContext = orderContextFrom(input.args);
          return next(input);
        },
      },
    ],
    outbound: [
      {
        // Summaries are user metadata, not part of the commands compared on replay.
        scheduleActivity: (input, next) =>
          next({
            ...input,
            options: { ...input.options, summary: input.options.summary ?? describeOrderActivity(input.activityType, input.args) },
            headers: withOrderContext(input.headers),
          }),
        scheduleLocalActivity: (input, next) => next({ ...input, headers: withOrderContext(input.headers) }),
        getLogAttributes: (attributes, next) => next({ ...attributes, ...orderContext }),
      },
    ],
  };
};
