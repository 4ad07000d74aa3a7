import type { Violation } from '../invariants/index.js';
import type { Experiment } from '../run/experiment.js';

export const duplicateStorm: Experiment = {
  name: 'duplicate-storm',
  fault: 'every order POSTed 5 times at once with the same Idempotency-Key',
  async run(context) {
    context.faultStarted();
    await context.placeOrders({ count: context.orders, copies: 5, concurrency: 6 });
    context.faultEnded();
  },
};

const LAST_UNITS = 3;
const LAST_UNIT_CUSTOMERS = 50;

export const lastUnit: Experiment = {
  name: 'last-unit',
  fault: `${LAST_UNIT_CUSTOMERS} customers order the last ${LAST_UNITS} units at once`,
  customers: LAST_UNIT_CUSTOMERS,
  catalogue: () => [{ sku: 'CHAOS-LAST', name: 'The last few', unitPrice: 12_900, currency: 'USD', stockAvailable: LAST_UNITS }],
  async run(context) {
    context.faultStarted();
    await context.placeOrders({
      count: LAST_UNIT_CUSTOMERS,
      concurrency: LAST_UNIT_CUSTOMERS,
      order: (i) => ({ customer: context.chaos.customers[i]!, key: `last-unit-${context.seed}-${i}`, body: { items: [{ sku: 'CHAOS-LAST', quantity: 1 }] } }),
    });
    context.faultEnded();
  },
  expect({ statusCounts, failedByReason }): Violation[] {
    const completed = statusCounts.COMPLETED ?? 0;
    const outOfStock = failedByReason.OUT_OF_STOCK ?? 0;
    if (completed === LAST_UNITS && outOfStock === LAST_UNIT_CUSTOMERS - LAST_UNITS) return [];
    return [
      {
        group: 'stock',
        rule: 'last-units-not-sold-exactly',
        orderId: null,
        sku: 'CHAOS-LAST',
        detail: `${completed} completed and ${outOfStock} OUT_OF_STOCK; expected ${LAST_UNITS} and ${LAST_UNIT_CUSTOMERS - LAST_UNITS}`,
      },
    ];
  },
};

/** A little latency on the provider widens every window a cancel can land in, compensation included. */
const GATEWAY_LATENCY_MS = 300;

export const cancelRace: Experiment = {
  name: 'cancel-race',
  fault: 'a cancel for every order at a random moment 0–3 s after its POST: while reserving, charging, compensating a decline, and after the point of no return',
  async run(context) {
    await context.chaos.gateway.setFaults({ latencyMs: GATEWAY_LATENCY_MS, paths: ['/charges', '/refunds'] });
    const cancels: Promise<unknown>[] = [];
    context.faultStarted();
    await context.placeOrders({
      count: context.orders,
      onAccepted: (order, customer) => {
        const delay = Math.floor(context.random() * 3000);
        cancels.push(context.hold(delay).then(() => context.client.cancelOrder(customer, order.orderId, `cancel-${order.orderId}`)));
      },
    });
    await Promise.all(cancels);
    context.faultEnded();
    await context.chaos.gateway.setFaults({ latencyMs: 0, paths: [] });
  },
};
