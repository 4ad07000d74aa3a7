import type { ProductSeed } from '../../src/db/seed.js';
import type { Violation } from '../invariants/index.js';
import type { RetryingOrderClient, OrderBody } from '../load/order-client.js';
import type { StatusTally } from '../load/status-tally.js';
import type { ChaosCustomer } from '../stack/customers.js';
import type { ChaosStack } from '../stack/chaos-stack.js';
import type { AcceptedOrder } from '../invariants/index.js';

/** One order the load sends: who, with which key, what. */
export interface PlannedOrder {
  customer: ChaosCustomer;
  key: string;
  body: OrderBody;
}

export interface PlaceOrdersOptions {
  count: number;
  concurrency?: number;
  /** POST each order this many times at once, with the same key (duplicate-storm). */
  copies?: number;
  /** The i-th order; the default is a random cart from the default catalogue. */
  order?: (index: number) => PlannedOrder;
  onAccepted?: (order: AcceptedOrder, customer: ChaosCustomer) => void;
}

export interface ExperimentContext {
  /** `--orders`: how many orders the experiment drives. */
  orders: number;
  seed: number;
  /** Seeded: the same seed makes the same carts, delays and kill points. */
  random: () => number;
  chaos: ChaosStack;
  client: RetryingOrderClient;
  tally: StatusTally;
  cancelTally: StatusTally;
  placeOrders(options: PlaceOrdersOptions): Promise<void>;
  /** Sends `options.count` orders and runs `fault` once `at` (a fraction) of them have been answered; the rest keep coming meanwhile. */
  withFaultMidFlow(options: PlaceOrdersOptions & { at?: number }, fault: () => Promise<void>): Promise<void>;
  /** Marks the fault's window (withFaultMidFlow does it around its fault); the drain time counts from its end. */
  faultStarted(): void;
  faultEnded(): void;
  /** The fault's own duration ("PostgreSQL stays down 15 s"): a wait on purpose, not for a state. */
  hold(ms: number): Promise<void>;
  /** A line for the report ("killed the worker at 2.1 s, 4.0 s, 6.3 s"). */
  note(text: string): void;
}

export interface ExperimentOutcome {
  statusCounts: Record<string, number>;
  failedByReason: Record<string, number>;
}

export interface Experiment {
  name: string;
  /** One line: what goes wrong. */
  fault: string;
  /** Customers with tokens of their own (20 unless said). */
  customers?: number;
  /** What the stack's services get besides the chaos defaults. */
  env?: Record<string, string>;
  /** Products beside the default ones (CHAOS-A, CHAOS-B, CHAOS-SCARCE). */
  catalogue?: (orders: number) => ProductSeed[];
  /** How long the orders may take to settle after the fault ended. */
  drainDeadlineMs?: number;
  run(context: ExperimentContext): Promise<void>;
  /** The experiment's own expectations beyond the invariants (last-unit: exactly 3 completed). */
  expect?(outcome: ExperimentOutcome, context: ExperimentContext): Violation[];
}
