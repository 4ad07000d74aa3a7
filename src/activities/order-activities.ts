import type { Database } from '../db/client.js';
import type { Logger } from '../platform/logger.js';
import type { PaymentGatewayClient } from '../payment-gateway/client.js';
import { createInventoryActivities } from './inventory.js';
import { createNotificationActivities } from './notifications.js';
import { createOrderRecordActivities } from './order-records.js';
import { createPaymentActivities } from './payments.js';

export interface OrderActivityDeps {
  db: Database;
  gateway: PaymentGatewayClient;
  logger: Logger;
  notifyWebhookUrl?: string;
}

/** Every activity the order workflow calls, built from injected dependencies. */
export function createOrderActivities({ db, gateway, logger, notifyWebhookUrl }: OrderActivityDeps) {
  return {
    ...createInventoryActivities(db),
    ...createPaymentActivities(db, gateway),
    ...createOrderRecordActivities(db),
    ...createNotificationActivities({ db, logger, webhookUrl: notifyWebhookUrl }),
  };
}

export type OrderActivities = ReturnType<typeof createOrderActivities>;
