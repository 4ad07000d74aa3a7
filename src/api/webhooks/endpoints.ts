import { randomUUID } from 'node:crypto';
import { and, asc, desc, eq, gt, inArray, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { webhookDeliveries, webhookDeliveryAttempts, webhookEndpoints } from '../../db/schema.js';
import type { OrderEventType } from '../../domain/order-events.js';
import { ProblemError } from '../http/problem.js';
import type { WebhookDeliveryList, WebhookEndpoint } from './schemas.js';

type EndpointRow = typeof webhookEndpoints.$inferSelect;

export const endpointNotFound = (id: string) => new ProblemError(404, 'not-found', 'Not found', `No webhook endpoint ${id}`);

export function toEndpoint(row: EndpointRow): WebhookEndpoint {
  return {
    id: row.id,
    url: row.url,
    eventTypes: row.eventTypes as OrderEventType[],
    description: row.description,
    status: row.status,
    disabledReason: row.disabledReason,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export async function insertEndpoint(db: Database, values: { url: string; eventTypes: string[]; description?: string; sealedSecret: string }): Promise<WebhookEndpoint> {
  const [row] = await db
    .insert(webhookEndpoints)
    .values({ id: randomUUID(), ...values, status: 'ENABLED' })
    .returning();
  return toEndpoint(row!);
}

export async function findEndpoint(db: Database, id: string): Promise<WebhookEndpoint> {
  const [row] = await db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, id));
  if (!row) throw endpointNotFound(id);
  return toEndpoint(row);
}

export async function listEndpoints(db: Database): Promise<WebhookEndpoint[]> {
  return (await db.select().from(webhookEndpoints).orderBy(desc(webhookEndpoints.createdAt), desc(webhookEndpoints.id))).map(toEndpoint);
}

export interface EndpointChange {
  url?: string;
  eventTypes?: string[];
  description?: string | null;
  status?: 'ENABLED' | 'DISABLED';
}

/** Applies a change; returns the endpoint before and after, so the caller can tell a re-enable. */
export async function changeEndpoint(db: Database, id: string, change: EndpointChange): Promise<{ before: WebhookEndpoint; after: WebhookEndpoint }> {
  return db.transaction(async (tx) => {
    const [current] = await tx.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, id)).for('update');
    if (!current) throw endpointNotFound(id);
    const disabledReason = change.status === 'DISABLED' ? 'disabled by an admin' : change.status === 'ENABLED' ? null : current.disabledReason;
    const [row] = await tx
      .update(webhookEndpoints)
      .set({ ...change, disabledReason, updatedAt: sql`now()` })
      .where(eq(webhookEndpoints.id, id))
      .returning();
    return { before: toEndpoint(current), after: toEndpoint(row!) };
  });
}

export async function deleteEndpoint(db: Database, id: string): Promise<void> {
  const deleted = await db.delete(webhookEndpoints).where(eq(webhookEndpoints.id, id)).returning({ id: webhookEndpoints.id });
  if (deleted.length === 0) throw endpointNotFound(id);
}

/** Deliveries in feed order, each with its attempts, paged by the event position. */
export async function listDeliveries(db: Database, endpointId: string, { after = 0, limit }: { after?: number; limit: number }): Promise<WebhookDeliveryList> {
  const rows = await db
    .select()
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.endpointId, endpointId), gt(webhookDeliveries.eventPosition, after)))
    .orderBy(asc(webhookDeliveries.eventPosition))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  const attempts =
    page.length === 0
      ? []
      : await db
          .select()
          .from(webhookDeliveryAttempts)
          .where(
            and(
              eq(webhookDeliveryAttempts.endpointId, endpointId),
              inArray(
                webhookDeliveryAttempts.eventId,
                page.map((r) => r.eventId),
              ),
            ),
          )
          .orderBy(asc(webhookDeliveryAttempts.id));
  const iso = (date: Date | null) => date?.toISOString() ?? null;
  return {
    data: page.map((row) => ({
      eventId: row.eventId,
      eventType: row.eventType as OrderEventType,
      eventPosition: String(row.eventPosition),
      status: row.status,
      attempts: row.attempts,
      lastStatusCode: row.lastStatusCode,
      lastError: row.lastError,
      nextRetryAt: row.status === 'PENDING' ? iso(row.nextRetryAt) : null,
      deliveredAt: iso(row.deliveredAt),
      history: attempts
        .filter((a) => a.eventId === row.eventId)
        .map((a) => ({ statusCode: a.statusCode, error: a.error, durationMs: a.durationMs, attemptedAt: a.attemptedAt.toISOString() })),
    })),
    nextCursor: rows.length > limit ? String(page.at(-1)!.eventPosition) : null,
  };
}
