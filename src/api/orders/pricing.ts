import { inArray } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { products } from '../../db/schema.js';
import type { CreateOrderRequest, OrderLine } from '../../domain/order.js';
import { orderTotal } from '../../domain/order-total.js';
import { MAX_CHARGE_AMOUNT } from '../../payments/contract.js';
import { ProblemError } from '../http/problem.js';
import { invalidRequest } from '../http/validation-problem.js';

export interface PricedOrder {
  lines: OrderLine[];
  currency: string;
  total: number;
}

/** Prices every line from the catalogue; the client never sets a price. */
export async function priceLines(db: Database, request: CreateOrderRequest): Promise<PricedOrder> {
  const skus = request.items.map((item) => item.sku);
  const catalogue = new Map((await db.select().from(products).where(inArray(products.sku, skus))).map((p) => [p.sku, p]));
  const errors = request.items.flatMap((item, index) => {
    const product = catalogue.get(item.sku);
    if (!product) return [{ pointer: `/items/${index}/sku`, detail: `unknown SKU ${item.sku}` }];
    // The schema's CHECK forbids it; a free line would still be a charge of nothing, so never sell one.
    if (product.unitPrice <= 0) return [{ pointer: `/items/${index}/sku`, detail: `SKU ${item.sku} has no price and cannot be ordered` }];
    return [];
  });
  if (errors.length > 0) throw invalidRequest(errors);
  const lines = request.items.map(({ sku, quantity }) => ({ sku, quantity, unitPrice: catalogue.get(sku)!.unitPrice }));
  const currencies = new Set(request.items.map(({ sku }) => catalogue.get(sku)!.currency));
  if (currencies.size > 1) {
    throw new ProblemError(
      400,
      'mixed-currencies',
      'Your request is not valid',
      `Items are priced in different currencies (${[...currencies].join(', ')}); place one order per currency`,
    );
  }
  const total = orderTotal(lines);
  // The gateway refuses a larger charge, so such an order could only fail later; refuse it here, with the reason.
  if (total > MAX_CHARGE_AMOUNT) {
    throw invalidRequest([{ pointer: '/items', detail: `the total, ${total} minor units, is over ${MAX_CHARGE_AMOUNT}, the most one payment can take` }]);
  }
  return { lines, currency: [...currencies][0]!, total };
}
