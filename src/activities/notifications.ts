import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { notifications } from '../db/schema.js';
import type { Money } from '../domain/money.js';
import type { NotificationKind } from '../domain/order.js';
import { activityLog } from '../observability/activity-log.js';
import type { Logger } from '../platform/logger.js';

export interface NotifyCustomerInput {
  orderId: string;
  customerId: string;
  kind: NotificationKind;
  total: Money;
  reason?: string;
}

export interface NotificationDeps {
  db: Database;
  logger: Logger;
  webhookUrl?: string;
  webhookTimeoutMs?: number;
  fetch?: typeof fetch;
}

export function createNotificationActivities({ db, logger, webhookUrl, webhookTimeoutMs = 5000, fetch: doFetch = fetch }: NotificationDeps) {
  async function postToWebhook(url: string, input: NotifyCustomerInput): Promise<void> {
    const response = await doFetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': `${input.orderId}:${input.kind}` },
      body: JSON.stringify(input),
      signal: AbortSignal.timeout(webhookTimeoutMs),
    });
    // A failing receiver makes the activity retry; the Idempotency-Key lets the receiver drop repeats.
    if (!response.ok) throw new Error(`Notification webhook answered ${response.status}`);
  }

  /**
   * Records one notification per (order, kind) and delivers it. Duplicate executions find the
   * delivered row and do nothing, so a customer hears about an order once.
   */
  async function notifyCustomer(input: NotifyCustomerInput): Promise<{ delivered: boolean }> {
    const channel = webhookUrl ? 'webhook' : 'log';
    await db.insert(notifications).values({ orderId: input.orderId, kind: input.kind, channel, payload: input }).onConflictDoNothing();
    const [existing] = await db
      .select({ deliveredAt: notifications.deliveredAt })
      .from(notifications)
      .where(and(eq(notifications.orderId, input.orderId), eq(notifications.kind, input.kind)));
    if (existing?.deliveredAt) return { delivered: false };
    if (webhookUrl) await postToWebhook(webhookUrl, input);
    const marked = await db
      .update(notifications)
      .set({ deliveredAt: sql`now()` })
      .where(and(eq(notifications.orderId, input.orderId), eq(notifications.kind, input.kind), isNull(notifications.deliveredAt)))
      .returning({ orderId: notifications.orderId });
    if (marked.length === 0) return { delivered: false };
    activityLog(logger).info(`Notified customer ${input.customerId}: ${input.kind}`, { notification: { ...input, channel } });
    return { delivered: true };
  }

  return { notifyCustomer };
}
