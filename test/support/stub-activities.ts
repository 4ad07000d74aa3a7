import { ApplicationFailure } from '@temporalio/common';
import type { OrderActivities } from '../../src/activities/index.js';

type ActivityName = keyof OrderActivities;

export interface StubActivities {
  activities: OrderActivities;
  /** Every call in order, as `name` or `name:detail` for notifications and outcomes. */
  calls: string[];
  attempts(name: ActivityName): number;
}

type Overrides = { [K in ActivityName]?: (...args: Parameters<OrderActivities[K]>) => Promise<unknown> };

/** Activities that succeed and record their calls, unless a scenario overrides one. */
export function stubActivities(overrides: Overrides = {}): StubActivities {
  const calls: string[] = [];
  const defaults: { [K in ActivityName]: OrderActivities[K] } = {
    reserveStock: async () => {},
    screenForFraud: async () => {},
    releaseStock: async () => ({ releasedLines: 1 }),
    chargePayment: async () => ({ chargeId: 'ch_stub' }),
    refundPayment: async () => ({ id: 're_stub', status: 'succeeded', amount: 0 }),
    confirmOrder: async () => {},
    recordOrderOutcome: async () => {},
    notifyCustomer: async () => ({ delivered: true }),
  };
  const activities = Object.fromEntries(
    (Object.keys(defaults) as ActivityName[]).map((name) => [
      name,
      async (input: Record<string, unknown>) => {
        const detail = name === 'notifyCustomer' ? `:${String(input.kind)}` : name === 'recordOrderOutcome' ? `:${String(input.status)}` : '';
        calls.push(name + detail);
        const impl = (overrides[name] ?? defaults[name]) as (arg: unknown) => Promise<unknown>;
        return impl(input);
      },
    ]),
  ) as unknown as OrderActivities;
  return { activities, calls, attempts: (name) => calls.filter((c) => c === name || c.startsWith(`${name}:`)).length };
}

/** Fails the first `times` calls with a retryable error, then runs `then`. */
export function failingTimes<T>(times: number, then: () => Promise<T>, message = 'gateway answered 503') {
  let failures = 0;
  return async (): Promise<T> => {
    if (failures < times) {
      failures += 1;
      throw new Error(message);
    }
    return then();
  };
}

export const businessFailure = (type: string, message: string) => async (): Promise<never> => {
  throw ApplicationFailure.nonRetryable(message, type);
};

/** A gate a stub waits on, so a test can act while an activity is in flight. */
export function gate() {
  let open!: () => void;
  let entered!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  const reached = new Promise<void>((resolve) => (entered = resolve));
  return {
    open,
    /** Resolves once the activity is waiting at the gate. */
    reached,
    async pass() {
      entered();
      await opened;
    },
  };
}
