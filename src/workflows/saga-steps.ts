/**
 * The table of the order saga's activities: each is listed once, with its retry group, its task
 * queue, the activity that undoes it, the failure reason if it never succeeds, and the line the Web UI shows
 * for it. The activity proxies, the compensation list (timeline, metrics), the metric labels and
 * the activity summaries all derive from here, and the table must name every activity the worker
 * registers: adding one to `createOrderActivities` without a row here is a compile error.
 *
 * Free of I/O and of `@temporalio/workflow`, so the API and the worker can import it too.
 */
import type { OrderActivities } from '../activities/index.js';
import { formatMoney } from '../domain/money.js';
import type { FailureReason } from '../domain/order-status.js';
import type { TaskQueueConcern } from '../domain/task-queues.js';

export type ActivityName = keyof OrderActivities;
export type ActivityInput<A extends ActivityName> = Parameters<OrderActivities[A]>[0];
export type ActivityResult<A extends ActivityName> = Awaited<ReturnType<OrderActivities[A]>>;

/** The retry groups of `activity-options.ts`. */
export type OptionsGroup = 'inventory' | 'payment' | 'mustSucceed' | 'notification';

/**
 * - `step`: moves the order forward; the saga fails if it never succeeds.
 * - `compensation`: undoes a step; retries until it succeeds.
 * - `bookkeeping`: records an outcome; retries until it succeeds.
 * - `notification`: tells the customer; never fails the order.
 */
type Role = 'step' | 'compensation' | 'bookkeeping' | 'notification';

interface ActivitySpec<A extends ActivityName> {
  role: Role;
  options: OptionsGroup;
  /** The task queue it runs on (`task-queues.ts`): database work on `orders`, gateway calls on `payments`. */
  queue: TaskQueueConcern;
  /** The compensation registered before this step runs, because a step that timed out may still have happened. */
  compensation?: ActivityName;
  /** Why the order fails when this step never succeeds (a transient fault outlasting its deadline). */
  unavailable?: FailureReason;
  /**
   * A compensation that waits on an outside provider, which may be down for long: the order's
   * outcome is recorded before it runs (with `refundPending` in the read model), not held back by it.
   */
  settlesAfterOutcome?: boolean;
  /** What a compensation's run reports to metrics, so every series exists from the start. */
  outcomes?: readonly string[];
  /** One line for the Web UI's event history and `temporal workflow describe`: "Charge $147.00". */
  summary(input: ActivityInput<A>): string;
}

const items = (units: number) => `${units} ${units === 1 ? 'item' : 'items'}`;

export const SAGA_ACTIVITIES = {
  reserveStock: {
    role: 'step',
    options: 'inventory',
    queue: 'orders',
    compensation: 'releaseStock',
    unavailable: 'INVENTORY_UNAVAILABLE',
    summary: ({ lines }) => `Reserve ${items(lines.reduce((sum, line) => sum + line.quantity, 0))}: ${lines.map((l) => `${l.sku} ×${l.quantity}`).join(', ')}`,
  },
  // The fraud screen is part of taking payment: it shares the payment deadline, and so the reason if it never answers.
  screenForFraud: {
    role: 'step',
    options: 'payment',
    queue: 'orders',
    unavailable: 'PAYMENT_UNAVAILABLE',
    summary: ({ total }) => `Screen ${formatMoney(total)} for fraud`,
  },
  chargePayment: {
    role: 'step',
    options: 'payment',
    queue: 'payments',
    compensation: 'refundPayment',
    unavailable: 'PAYMENT_UNAVAILABLE',
    summary: ({ total }) => `Charge ${formatMoney(total)}`,
  },
  confirmOrder: { role: 'step', options: 'mustSucceed', queue: 'orders', summary: () => 'Confirm the order and commit its stock' },
  releaseStock: { role: 'compensation', options: 'mustSucceed', queue: 'orders', outcomes: ['released', 'nothing_held'], summary: () => 'Release the held stock' },
  refundPayment: {
    role: 'compensation',
    options: 'mustSucceed',
    queue: 'payments',
    settlesAfterOutcome: true,
    outcomes: ['refunded', 'voided'],
    summary: () => 'Refund the charge (or void its key)',
  },
  recordOrderOutcome: {
    role: 'bookkeeping',
    options: 'mustSucceed',
    queue: 'orders',
    summary: ({ status, reason }) => `Record ${status}${reason ? ` (${reason})` : ''}`,
  },
  notifyCustomer: { role: 'notification', options: 'notification', queue: 'notifications', summary: ({ customerId, kind }) => `Notify ${customerId}: ${kind}` },
} as const satisfies { [A in ActivityName]: ActivitySpec<A> };

type Table = typeof SAGA_ACTIVITIES;

export type SagaStep = { [A in ActivityName]: Table[A]['role'] extends 'step' ? A : never }[ActivityName];
/** The steps whose row names a compensation, and that compensation. */
export type CompensatedStep = { [A in ActivityName]: Table[A] extends { compensation: ActivityName } ? A : never }[ActivityName];
export type CompensationOf<S extends CompensatedStep> = Table[S]['compensation'];
export type CompensationActivity = { [A in ActivityName]: Table[A]['role'] extends 'compensation' ? A : never }[ActivityName];
export type CompensationOutcome<C extends CompensationActivity> = Table[C]['outcomes'][number];

const names = Object.keys(SAGA_ACTIVITIES) as ActivityName[];

/** Activities that undo a step; timelines and dashboards mark them as compensations. */
export const COMPENSATION_ACTIVITIES = names.filter((name) => SAGA_ACTIVITIES[name].role === 'compensation') as readonly CompensationActivity[];

export function isCompensation(activityType: string): activityType is CompensationActivity {
  return (COMPENSATION_ACTIVITIES as readonly string[]).includes(activityType);
}

/** Every (compensation, outcome) series the worker's metrics start at zero. */
export const COMPENSATION_SERIES = COMPENSATION_ACTIVITIES.flatMap((step) => SAGA_ACTIVITIES[step].outcomes.map((outcome) => ({ step, outcome })));

/** A row as data, without its activity's input type: for code that picks a row by a name it holds. */
export function stepSpec(name: ActivityName): Omit<ActivitySpec<ActivityName>, 'summary'> {
  return SAGA_ACTIVITIES[name];
}

/** The activities of one retry group, for `proxyActivities` with that group's options. */
export function activitiesInGroup(group: OptionsGroup): ActivityName[] {
  return names.filter((name) => SAGA_ACTIVITIES[name].options === group);
}

/** The activities one task queue serves: what a worker of that concern registers. */
export function activitiesOnQueue(queue: TaskQueueConcern): ActivityName[] {
  return names.filter((name) => SAGA_ACTIVITIES[name].queue === queue);
}

/** The Web UI's one line for an activity of the order saga; nothing for any other activity. */
export function describeOrderActivity(activityType: string, args: readonly unknown[]): string | undefined {
  if (!Object.hasOwn(SAGA_ACTIVITIES, activityType)) return undefined;
  const spec = SAGA_ACTIVITIES[activityType as ActivityName] as ActivitySpec<ActivityName>;
  try {
    return spec.summary(args[0] as never);
  } catch {
    // A summary is a courtesy: an input of an unexpected shape must never fail the workflow task.
    return undefined;
  }
}
