export { IDEMPOTENCY_KEY_RETENTION_HOURS, purgeExpiredIdempotencyKeys } from './idempotency.js';
export { orderIntakeOutcome } from './intake-outcome.js';
export { ordersRouter } from './router.js';
export type { CancelResult, OrderList, OrderSummary, TimelineEntry } from './schemas.js';
