export const ORDER_STATUSES = ['PENDING', 'RESERVED', 'PAID', 'COMPLETED', 'FAILED', 'CANCELLED'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const FINAL_STATUSES: readonly OrderStatus[] = ['COMPLETED', 'FAILED', 'CANCELLED'];

export function isFinal(status: OrderStatus): boolean {
  return FINAL_STATUSES.includes(status);
}

/** Which statuses each status may follow. Writes to the read model are conditional on these. */
export const PREVIOUS_STATUSES: Record<OrderStatus, readonly OrderStatus[]> = {
  PENDING: [],
  RESERVED: ['PENDING'],
  PAID: ['RESERVED'],
  COMPLETED: ['PAID'],
  FAILED: ['PENDING', 'RESERVED', 'PAID'],
  CANCELLED: ['PENDING', 'RESERVED', 'PAID'],
};

/** The statuses an order that succeeds passes through, in order. */
export const HAPPY_PATH: readonly OrderStatus[] = ['PENDING', 'RESERVED', 'PAID', 'COMPLETED'];

/**
 * Whether an order at `current` is at `to` already, or past it on the happy path: a COMPLETED
 * order has been RESERVED and PAID. A replayed step (a retry, or a workflow reset by an operator)
 * that moves the order there again has nothing left to do.
 */
export function hasReached(current: OrderStatus, to: OrderStatus): boolean {
  if (current === to) return true;
  const [at, target] = [HAPPY_PATH.indexOf(current), HAPPY_PATH.indexOf(to)];
  return at >= 0 && target >= 0 && at > target;
}

/** Why an order failed. Stable codes: clients and dashboards key on them. */
export const FAILURE_REASONS = ['OUT_OF_STOCK', 'PAYMENT_DECLINED', 'PAYMENT_UNAVAILABLE', 'INVENTORY_UNAVAILABLE', 'INVALID_ORDER', 'FRAUD_SUSPECTED'] as const;
export type FailureReason = (typeof FAILURE_REASONS)[number];
