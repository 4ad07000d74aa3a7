import type { ProductSeed } from '../../src/db/seed.js';
import { TEST_TOKENS } from '../../src/payments/contract.js';
import type { ChaosCustomer } from '../stack/customers.js';
import type { PlannedOrder } from './experiment.js';

/** Two products no run can sell out, and one that runs out part way, so some orders fail OUT_OF_STOCK. */
export function defaultCatalogue(orders: number): ProductSeed[] {
  return [
    { sku: 'CHAOS-A', name: 'Chaos keyboard', unitPrice: 1500, currency: 'USD', stockAvailable: 100_000 },
    { sku: 'CHAOS-B', name: 'Chaos mouse', unitPrice: 4200, currency: 'USD', stockAvailable: 100_000 },
    { sku: 'CHAOS-SCARCE', name: 'Chaos limited mat', unitPrice: 900, currency: 'USD', stockAvailable: Math.max(3, Math.round(orders / 6)) },
  ];
}

/** A random cart of one or two lines; one order in ten pays with a card that is declined. */
export function randomOrder(random: () => number, customers: readonly ChaosCustomer[], index: number, seed: number): PlannedOrder {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const skus = random() < 0.5 ? [pick(['CHAOS-A', 'CHAOS-B', 'CHAOS-SCARCE'])] : ['CHAOS-A', pick(['CHAOS-B', 'CHAOS-SCARCE'])];
  return {
    customer: customers[index % customers.length]!,
    key: `chaos-${seed}-${index}`,
    body: {
      items: skus.map((sku) => ({ sku, quantity: 1 + Math.floor(random() * 2) })),
      ...(random() < 0.1 ? { paymentToken: TEST_TOKENS.declined } : {}),
    },
  };
}
