import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  CancelledFailure,
  condition,
  isCancellation,
  log,
  patched,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { BUSINESS_ERROR_TYPES, isBusinessErrorType } from '../domain/business-errors.js';
import type { NotificationKind } from '../domain/order.js';
import { isFinal, type OrderStatus } from '../domain/order-status.js';
import { orderActivities } from './activity-options.js';
import { stepSpec, type ActivityInput, type ActivityName, type ActivityResult, type CompensatedStep, type CompensationOf, type SagaStep } from './saga-steps.js';
import { cancelOrderUpdate, MAX_OUTCOME_WAIT_MS, orderStatusQuery, waitForOutcomeUpdate, type OrderState, type OrderWorkflowInput } from './messages.js';
import { OrderStatusAttribute } from './search-attributes.js';
import { DEFAULT_SAGA_TIMINGS } from './timings.js';

/** `refusedByStep`: the step failed with a business failure; workers before COMPENSATE_ALWAYS_PATCH dropped it then. */
type Compensation = { name: ActivityName; run: () => Promise<unknown>; refusedByStep?: boolean };
/** A compensated step takes its compensation's input too; a step without one takes nothing more. */
type UndoInput<S extends SagaStep> = S extends CompensatedStep ? [undo: ActivityInput<CompensationOf<S>>] : [];

/**
 * Orders started before the fraud screen existed have no marker for it in their history, so on
 * replay they skip it and charge as they did; every order started since records the marker and
 * is screened. Becomes `deprecatePatch` once no order without the marker can still be running.
 */
export const FRAUD_SCREEN_PATCH = 'fraud-screen-before-charge';

/**
 * Orders that fail or are cancelled from here on run every compensation they registered, even
 * one whose step answered with a business failure (a declined retry can follow a lost success,
 * and a stalled reservation can commit after a later attempt ran out of stock), and record their
 * outcome before a refund that may wait on the provider, so stock and status are not held by it.
 * Checked only on the failure path, so happy orders carry no marker.
 */
export const COMPENSATE_ALWAYS_PATCH = 'compensate-always-outcome-before-refund';

/** The business failure an activity raised, if it raised one: it means the step changed nothing. */
function businessFailureOf(error: unknown): ApplicationFailure | undefined {
  const cause = error instanceof ActivityFailure ? error.cause : undefined;
  return cause instanceof ApplicationFailure && isBusinessErrorType(cause.type) ? cause : undefined;
}

function partition<T>(items: readonly T[], test: (item: T) => boolean): [T[], T[]] {
  return [items.filter(test), items.filter((item) => !test(item))];
}

function describe(error: unknown): string {
  if (error instanceof ActivityFailure && error.cause) return error.cause.message;
  return error instanceof Error ? error.message : String(error);
}

/**
 * The order saga: reserve stock, screen for fraud, charge, confirm, notify. A step's compensation
 * is registered before the step runs, because a step that timed out may still have happened; it
 * is dropped again only when the step failed with a business failure, which by contract changed
 * nothing.
 * Compensations run in reverse, in a non-cancellable scope, and retry until they succeed.
 */
export async function orderWorkflow(input: OrderWorkflowInput): Promise<OrderState> {
  const { orderId, customerId, total } = input;
  // The payments and notifications queues are named after the queue this order runs on.
  const activities = orderActivities({ ...DEFAULT_SAGA_TIMINGS, ...input.timings }, workflowInfo().taskQueue);
  // One cast where a name picks its proxy: TypeScript cannot correlate a generic key with its function's type.
  const call = <A extends ActivityName>(name: A, args: unknown) => (activities[name] as (input: unknown) => Promise<ActivityResult<A>>)(args);
  const state: OrderState = { orderId, status: 'PENDING', failureReason: null, failureDetail: null, paymentId: null };
  const compensations: Compensation[] = [];
  const saga = new CancellationScope();
  let cancellable = true;
  let cancelReason: string | undefined;

  const setStatus = (status: OrderStatus) => {
    state.status = status;
    upsertSearchAttributes([{ key: OrderStatusAttribute, value: status }]);
  };

  setHandler(orderStatusQuery, () => state);
  setHandler(
    waitForOutcomeUpdate,
    async ({ timeoutMs }) => {
      await condition(() => isFinal(state.status), timeoutMs);
      return state;
    },
    {
      validator: ({ timeoutMs }) => {
        if (!Number.isInteger(timeoutMs) || timeoutMs < 0 || timeoutMs > MAX_OUTCOME_WAIT_MS) throw new Error(`timeoutMs must be 0 to ${MAX_OUTCOME_WAIT_MS}`);
      },
    },
  );
  setHandler(
    cancelOrderUpdate,
    async ({ reason }) => {
      cancelReason = reason ?? 'cancelled by request';
      saga.cancel();
      await condition(() => isFinal(state.status));
      return state;
    },
    {
      validator: (_request) => {
        if (!cancellable) throw new Error(`Order ${orderId} can no longer be cancelled: it is ${state.status}`);
      },
    },
  );

  /**
   * Runs a step of the table with its compensation registered first; the table names the
   * compensation and the reason the order fails if the step never succeeds.
   */
  async function step<S extends SagaStep>(name: S, input: ActivityInput<S>, ...[undo]: UndoInput<S>): Promise<ActivityResult<S>> {
    const spec = stepSpec(name);
    const compensation: Compensation | undefined = spec.compensation && { name: spec.compensation, run: () => call(spec.compensation!, undo) };
    if (compensation) compensations.unshift(compensation);
    try {
      return await call(name, input);
    } catch (error) {
      if (businessFailureOf(error) && compensation) compensation.refusedByStep = true;
      if (!isCancellation(error) && !businessFailureOf(error) && spec.unavailable) {
        state.failureReason = spec.unavailable;
      }
      throw error;
    }
  }

  /** In reverse order of registration; each retries until it succeeds, so only a non-retryable failure gets past one. */
  async function runCompensations(list: Compensation[]): Promise<void> {
    for (const compensation of list) {
      try {
        await compensation.run();
      } catch (compensationError) {
        log.error('Compensation failed and needs an operator', { orderId, compensation: compensation.name, error: describe(compensationError) });
      }
    }
  }

  async function notify(kind: NotificationKind): Promise<void> {
    try {
      await activities.notifyCustomer({ orderId, customerId, kind, total, reason: state.failureReason ?? undefined });
    } catch (error) {
      // A customer who is not told is a support ticket, not a failed order.
      log.warn('Notification failed; the order stands', { orderId, kind, error: describe(error) });
    }
  }

  try {
    await saga.run(async () => {
      await step('reserveStock', { orderId, lines: input.lines }, { orderId, lines: input.lines });
      setStatus('RESERVED');
      if (patched(FRAUD_SCREEN_PATCH)) {
        // Nothing to undo: the screen changes nothing, and the reservation's release is already registered.
        await step('screenForFraud', { orderId, customerId, total });
      }
      const { chargeId } = await step('chargePayment', { orderId, total, paymentToken: input.paymentToken }, { orderId });
      state.paymentId = chargeId;
      setStatus('PAID');
    });
    // The last step's result can arrive in the same activation as a cancel (the Update's, or an
    // operator's workflow cancel): a cancelled order is never confirmed.
    if (saga.consideredCancelled) throw new CancelledFailure(cancelReason ?? 'workflow cancelled');
    // The point of no return: from here the order completes, so a cancel is refused rather than half done.
    cancellable = false;
    await CancellationScope.nonCancellable(() => activities.confirmOrder({ orderId }));
    setStatus('COMPLETED');
  } catch (error) {
    cancellable = false;
    const cancelled = cancelReason !== undefined || isCancellation(error);
    const business = businessFailureOf(error);
    if (business) state.failureReason = BUSINESS_ERROR_TYPES[business.type as keyof typeof BUSINESS_ERROR_TYPES];
    state.failureDetail = cancelled ? (cancelReason ?? 'workflow cancelled') : describe(error);
    if (cancelled) state.failureReason = null;
    log.info('Order saga stopped; compensating', { orderId, cancelled, reason: state.failureReason, detail: state.failureDetail });
    await CancellationScope.nonCancellable(async () => {
      const status = cancelled ? 'CANCELLED' : 'FAILED';
      const outcome = { orderId, status, reason: state.failureReason ?? undefined, detail: state.failureDetail ?? undefined } as const;
      if (patched(COMPENSATE_ALWAYS_PATCH)) {
        const [later, now] = partition(compensations, (c) => stepSpec(c.name).settlesAfterOutcome === true);
        await runCompensations(now);
        await activities.recordOrderOutcome({ ...outcome, refundPending: later.length > 0 });
        setStatus(status);
        await runCompensations(later);
      } else {
        await runCompensations(compensations.filter((c) => !c.refusedByStep));
        await activities.recordOrderOutcome(outcome);
        setStatus(status);
      }
      await notify(cancelled ? 'ORDER_CANCELLED' : 'ORDER_FAILED');
    });
    return state;
  }
  await CancellationScope.nonCancellable(() => notify('ORDER_CONFIRMED'));
  return state;
}
