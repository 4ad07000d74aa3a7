import type { Database } from '../db/client.js';
import type { OrderMetrics } from './order-metrics.js';
import type { Logger } from '../platform/logger.js';
import type { PaymentGatewayClient } from '../payments/client.js';
import { rejectingBadData } from './data-errors.js';
import { createFraudActivities } from './fraud.js';
import { createInventoryActivities } from './inventory.js';
import { createNotificationActivities } from './notifications.js';
import { createOrderRecordActivities } from './order-records.js';
import { createPaymentActivities } from './payments.js';

export interface OrderActivityDeps {
  db: Database;
  gateway: PaymentGatewayClient;
  logger: Logger;
  notifyWebhookUrl?: string;
  /** Orders whose total, in minor units, is above this fail FRAUD_SUSPECTED before the charge; the worker's config supplies it. */
  fraudReviewLimit: number;
  /** The worker's metrics; activities report final statuses, compensations and charge attempts to it. */
  metrics?: OrderMetrics;
}

/** Every activity the order workflow calls, built from injected dependencies; none retries data PostgreSQL refuses. */
export function createOrderActivities({ db, gateway, logger, notifyWebhookUrl, fraudReviewLimit, metrics }: OrderActivityDeps) {
  return rejectingBadData({
    ...createInventoryActivities(db, metrics),
    ...createFraudActivities({ reviewLimit: fraudReviewLimit }),
    ...createPaymentActivities(db, gateway, metrics),
    ...createOrderRecordActivities(db, metrics),
    ...createNotificationActivities({ db, logger, webhookUrl: notifyWebhookUrl }),
  });
}

export type OrderActivities = ReturnType<typeof createOrderActivities>;
