import { createHash } from 'node:crypto';
import { and, eq, lt, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { idempotencyKeys } from '../../db/schema.js';
import { ProblemError } from '../http/problem.js';

type Executor = Pick<Database, 'insert' | 'select' | 'update' | 'delete'>;

/** Keys are kept at least this long; a purge removes older ones, after which a key starts afresh. */
export const IDEMPOTENCY_KEY_RETENTION_HOURS = 24;

export interface StoredResponse {
  status: number;
  body: unknown;
}

export type KeyClaim = { claimed: true } | { claimed: false; orderId: string; response: StoredResponse | null };

/** A SHA-256 of the normalized request: the same request always gives the same fingerprint. */
export function fingerprint(normalized: unknown): string {
  return createHash('sha256').update(JSON.stringify(normalized)).digest('hex');
}

/** A purge can delete an expired key between a claim's insert and its read; then the claim starts afresh, a few times at most. */
const CLAIM_ATTEMPTS = 3;

/**
 * Claims (customer, key) for a request. A concurrent request with the same key waits on the
 * primary key until the first transaction ends, then sees the first's record: one request wins.
 * The same key with a different request is refused with 422.
 */
export async function claimIdempotencyKey(db: Executor, claim: { customerId: string; key: string; fingerprint: string; orderId: string }): Promise<KeyClaim> {
  for (let attempt = 1; ; attempt++) {
    const inserted = await db
      .insert(idempotencyKeys)
      .values({ customerId: claim.customerId, key: claim.key, requestFingerprint: claim.fingerprint, orderId: claim.orderId })
      .onConflictDoNothing()
      .returning({ orderId: idempotencyKeys.orderId });
    if (inserted.length > 0) return { claimed: true };
    const existing = await readExistingClaim(db, claim, attempt);
    if (existing) return existing;
  }
}

/**
 * After a claim's insert found the key taken: the first request's record, or undefined when an
 * expired key was purged in between (it no longer exists, so the caller claims it anew, a few times at most).
 */
export async function readExistingClaim(db: Executor, claim: { customerId: string; key: string; fingerprint: string }, attempt: number): Promise<KeyClaim | undefined> {
  const [existing] = await db
    .select()
    .from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.customerId, claim.customerId), eq(idempotencyKeys.key, claim.key)));
  if (existing) return existingClaim(existing, claim);
  if (attempt >= CLAIM_ATTEMPTS) throw new Error(`Idempotency key ${claim.key} conflicted ${attempt} times but could never be read`);
  return undefined;
}

function existingClaim(existing: typeof idempotencyKeys.$inferSelect, claim: { key: string; fingerprint: string }): KeyClaim {
  if (existing.requestFingerprint !== claim.fingerprint) {
    throw new ProblemError(
      422,
      'idempotency-key-reused',
      'Idempotency-Key reused with a different request',
      `The Idempotency-Key ${claim.key} was first used with a different request; use a new key for a new request`,
    );
  }
  const response = existing.responseStatus === null ? null : { status: existing.responseStatus, body: existing.responseBody };
  return { claimed: false, orderId: existing.orderId, response };
}

export async function saveIdempotentResponse(db: Executor, customerId: string, key: string, response: StoredResponse): Promise<void> {
  await db
    .update(idempotencyKeys)
    .set({ responseStatus: response.status, responseBody: response.body })
    .where(and(eq(idempotencyKeys.customerId, customerId), eq(idempotencyKeys.key, key)));
}

export async function purgeExpiredIdempotencyKeys(db: Executor, retentionHours = IDEMPOTENCY_KEY_RETENTION_HOURS): Promise<number> {
  const deleted = await db
    .delete(idempotencyKeys)
    .where(lt(idempotencyKeys.createdAt, sql`now() - make_interval(hours => ${retentionHours})`))
    .returning({ key: idempotencyKeys.key });
  return deleted.length;
}
