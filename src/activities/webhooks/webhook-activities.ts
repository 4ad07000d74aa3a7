import { activityInfo } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { and, asc, eq, gt, inArray, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { toOrderEvent } from '../../db/order-event-log.js';
import { orderEvents, webhookDeliveries, webhookDeliveryAttempts, webhookEndpoints } from '../../db/schema.js';
import { activityLog } from '../../observability/activity-log.js';
import type { OutboundAddressPolicy } from '../../platform/outbound-address.js';
import type { WebhookSecrets } from '../../platform/webhook-secrets.js';
import { signWebhook, WEBHOOK_SIGNATURE_HEADER } from '../../platform/webhook-signature.js';
import { retryDelayMs, type WebhookTimings } from '../../domain/webhook-timings.js';
import { postWebhook, type WebhookPostLimits } from './post-webhook.js';

export interface WebhookActivityDeps {
  db: Database;
  secrets: WebhookSecrets;
  policy: OutboundAddressPolicy;
  limits: WebhookPostLimits;
}

/** The failure of an attempt that was answered with no 2xx: retried after the delay the activity chose. */
export const WEBHOOK_DELIVERY_FAILED = 'WebhookDeliveryFailed';
/** The retry window is spent: the dispatcher disables the endpoint. */
export const WEBHOOK_RETRY_WINDOW_PASSED = 'WebhookRetryWindowPassed';

export interface WebhookEventRef {
  eventId: string;
  position: number;
  orderId: string;
  type: string;
}

export interface NextWebhookEventsInput {
  endpointId: string;
  after: number;
  limit: number;
}

export interface DeliverWebhookInput {
  endpointId: string;
  event: WebhookEventRef;
  retry: Pick<WebhookTimings, 'retryInitialIntervalMs' | 'retryMaximumIntervalMs'>;
}

export type EndpointState = 'ENABLED' | 'DISABLED' | 'DELETED';

export function createWebhookActivities({ db, secrets, policy, limits }: WebhookActivityDeps) {
  /** The next events the endpoint subscribed to, after its cursor: references only, so the dispatcher's history holds no order data. */
  async function nextWebhookEvents({ endpointId, after, limit }: NextWebhookEventsInput): Promise<{ endpoint: EndpointState; events: WebhookEventRef[] }> {
    const [endpoint] = await db
      .select({ status: webhookEndpoints.status, eventTypes: webhookEndpoints.eventTypes })
      .from(webhookEndpoints)
      .where(eq(webhookEndpoints.id, endpointId));
    if (!endpoint) return { endpoint: 'DELETED', events: [] };
    if (endpoint.status !== 'ENABLED') return { endpoint: 'DISABLED', events: [] };
    const rows = await db
      .select({ eventId: orderEvents.id, position: orderEvents.position, orderId: orderEvents.orderId, type: orderEvents.type })
      .from(orderEvents)
      .where(and(gt(orderEvents.position, after), endpoint.eventTypes.length > 0 ? inArray(orderEvents.type, endpoint.eventTypes) : undefined))
      .orderBy(asc(orderEvents.position))
      .limit(limit);
    return { endpoint: 'ENABLED', events: rows };
  }

  /**
   * One attempt to deliver one event: sign the event's JSON, POST it, record the answer. A 2xx is
   * the only success; anything else throws with the delay to the next attempt, which is recorded
   * as the delivery's next retry time. After a lost completion (a worker killed after the receiver
   * said 2xx) the retry finds the delivery recorded since this activity was scheduled, and does not
   * send again.
   */
  async function deliverWebhook({ endpointId, event, retry }: DeliverWebhookInput): Promise<{ outcome: 'delivered' | 'skipped'; statusCode: number | null }> {
    const info = activityInfo();
    const [endpoint] = await db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, endpointId));
    if (!endpoint || endpoint.status !== 'ENABLED') return { outcome: 'skipped', statusCode: null };
    const [row] = await db.select().from(orderEvents).where(eq(orderEvents.id, event.eventId));
    if (!row) return { outcome: 'skipped', statusCode: null };
    if (info.attempt > 1) {
      const [earlier] = await db
        .select({ deliveredAt: webhookDeliveries.deliveredAt, lastStatusCode: webhookDeliveries.lastStatusCode })
        .from(webhookDeliveries)
        .where(and(eq(webhookDeliveries.endpointId, endpointId), eq(webhookDeliveries.eventId, event.eventId)));
      if (earlier?.deliveredAt && earlier.deliveredAt.getTime() >= info.scheduledTimestampMs) return { outcome: 'delivered', statusCode: earlier.lastStatusCode };
    }

    const body = JSON.stringify(toOrderEvent(row));
    const headers = {
      [WEBHOOK_SIGNATURE_HEADER]: signWebhook(secrets.open(endpoint.sealedSecret), body),
      'webhook-id': row.id,
      'webhook-attempt': String(info.attempt),
      'user-agent': 'orders-webhooks/1',
    };
    const answer = await postWebhook(endpoint.url, body, headers, policy, limits);
    const delivered = answer.statusCode !== null && answer.statusCode >= 200 && answer.statusCode < 300;
    const delayMs = retryDelayMs(info.attempt, retry);
    const windowEnds = info.scheduledTimestampMs + info.scheduleToCloseTimeoutMs;
    const retries = !delivered && Date.now() + delayMs < windowEnds;
    const nextRetryAt = retries ? new Date(Date.now() + delayMs) : null;
    const status = delivered ? 'DELIVERED' : retries ? 'PENDING' : 'FAILED';

    await db.transaction(async (tx) => {
      await tx.insert(webhookDeliveryAttempts).values({ endpointId, eventId: row.id, statusCode: answer.statusCode, error: answer.error, durationMs: answer.durationMs });
      const latest = { status, lastStatusCode: answer.statusCode, lastError: answer.error, nextRetryAt, updatedAt: sql`now()` } as const;
      await tx
        .insert(webhookDeliveries)
        .values({ endpointId, eventId: row.id, eventPosition: row.position, eventType: row.type, ...latest, attempts: 1, deliveredAt: delivered ? sql`now()` : null })
        .onConflictDoUpdate({
          target: [webhookDeliveries.endpointId, webhookDeliveries.eventId],
          set: { ...latest, attempts: sql`${webhookDeliveries.attempts} + 1`, deliveredAt: delivered ? sql`now()` : webhookDeliveries.deliveredAt },
        });
    });
    const outcome = { statusCode: answer.statusCode, error: answer.error ?? undefined, attempt: info.attempt };
    if (delivered) {
      activityLog().info('Webhook delivered', outcome);
      return { outcome: 'delivered', statusCode: answer.statusCode };
    }
    const why = answer.statusCode === null ? (answer.error ?? 'no answer') : `HTTP ${answer.statusCode}`;
    if (!retries) throw ApplicationFailure.nonRetryable(`Webhook not accepted within the retry window: ${why}`, WEBHOOK_RETRY_WINDOW_PASSED, outcome);
    activityLog().warn('Webhook not accepted; will retry', { ...outcome, nextRetryAt: nextRetryAt?.toISOString() });
    throw ApplicationFailure.create({ message: `Webhook not accepted: ${why}`, type: WEBHOOK_DELIVERY_FAILED, nextRetryDelay: delayMs, details: [outcome] });
  }

  /** The endpoint kept failing past the window: it stops receiving, and its events stay in the feed for a replay. */
  async function disableWebhookEndpoint({ endpointId, reason }: { endpointId: string; reason: string }): Promise<void> {
    await db
      .update(webhookEndpoints)
      .set({ status: 'DISABLED', disabledReason: reason.slice(0, 500), updatedAt: sql`now()` })
      .where(and(eq(webhookEndpoints.id, endpointId), eq(webhookEndpoints.status, 'ENABLED')));
    activityLog().warn('Webhook endpoint disabled', { endpointId, reason });
  }

  return { nextWebhookEvents, deliverWebhook, disableWebhookEndpoint };
}

export type WebhookActivities = ReturnType<typeof createWebhookActivities>;
