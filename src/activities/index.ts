export { createOrderActivities, type OrderActivities, type OrderActivityDeps } from './order-activities.js';
export type { ReserveStockInput } from './inventory.js';
export type { ChargePaymentInput } from './payments.js';
export type { ScreenForFraudInput } from './fraud.js';
export type { NotifyCustomerInput } from './notifications.js';
export type { RecordOutcomeInput } from './order-records.js';
