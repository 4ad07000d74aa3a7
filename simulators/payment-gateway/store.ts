import { createHash, randomBytes } from 'node:crypto';
import { asc, eq, sql as sqlTag } from 'drizzle-orm';
import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import type { DatabaseHandle } from '../../src/db/client.js';
import {
  TEST_TOKENS,
  type Charge,
  type ChargeRecord,
  type ChargeRequest,
  type DeclineCode,
  type GatewayErrorCode,
  type Refund,
  type RefundRequest,
} from '../../src/payments/contract.js';
import * as schema from './schema.js';
import { charges, declinedCharges, refunds, type ChargeRow, type RefundRow } from './schema.js';

export type GatewayDatabaseHandle = Pick<DatabaseHandle, 'sql'>;
type GatewayDb = PostgresJsDatabase<typeof schema>;
type Transaction = Parameters<Parameters<GatewayDb['transaction']>[0]>[0];

/** A request the gateway refuses outright. The app maps each code to its HTTP status. */
export class GatewayRejection extends Error {
  constructor(
    readonly code: GatewayErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'GatewayRejection';
  }
}

export type ChargeResult = { outcome: 'charged'; charge: Charge } | { outcome: 'declined'; code: DeclineCode | (string & {}); message: string };

export interface RefundResult {
  refund: Refund;
  /** False when the refund had already been made for this charge key under another refund key. */
  madeUnderThisKey: boolean;
}

export interface PaymentStore {
  charge(idempotencyKey: string, request: ChargeRequest): Promise<ChargeResult>;
  refund(idempotencyKey: string, request: RefundRequest): Promise<RefundResult>;
  listCharges(orderId: string): Promise<ChargeRecord[]>;
  listRefunds(orderId: string): Promise<Refund[]>;
}

const TOKEN_DECLINES = new Map<string, { code: DeclineCode; message: string }>([
  [TEST_TOKENS.declined, { code: 'card_declined', message: 'Your card was declined.' }],
  [TEST_TOKENS.insufficientFunds, { code: 'insufficient_funds', message: 'Your card has insufficient funds.' }],
]);

/**
 * Advisory lock namespaces (the first half of the two-int lock key), so a charge key and a refund
 * key that happen to be the same string, or hash alike, never share a lock.
 */
const CHARGE_KEY_LOCKS = 1;
const REFUND_KEY_LOCKS = 2;

/**
 * Holds a transaction-scoped lock on one idempotency key. Every path that reads and then writes
 * under a key takes its lock first, so concurrent requests with that key run one after another
 * and each sees what the previous one committed.
 */
async function lockKey(tx: Transaction, namespace: number, key: string): Promise<void> {
  await tx.execute(sqlTag`select pg_advisory_xact_lock(${namespace}::int, hashtext(${key}))`);
}

function fingerprint(...parts: (string | number)[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}

function newId(prefix: 'ch' | 're'): string {
  return `${prefix}_${randomBytes(12).toString('hex')}`;
}

function assertSameRequest(stored: string, received: string, key: string): void {
  if (stored !== received) {
    throw new GatewayRejection('idempotency_key_mismatch', `Idempotency-Key ${key} was first used with a different request body`);
  }
}

function toCharge(row: ChargeRow): Charge {
  return {
    id: row.id,
    orderId: row.orderId,
    amount: row.amount,
    currency: row.currency,
    status: row.status,
    idempotencyKey: row.idempotencyKey,
    createdAt: row.createdAt.toISOString(),
  };
}

function toRefund(row: RefundRow): Refund {
  return { id: row.id, orderId: row.orderId, chargeId: row.chargeId, amount: row.amount, status: row.status, createdAt: row.createdAt.toISOString() };
}

export function createPaymentStore({ sql }: GatewayDatabaseHandle): PaymentStore {
  const db: GatewayDb = drizzle(sql, { schema });

  async function charge(idempotencyKey: string, request: ChargeRequest): Promise<ChargeResult> {
    const requestFingerprint = fingerprint(request.orderId, request.amount, request.currency, request.token);
    return db.transaction(async (tx) => {
      await lockKey(tx, CHARGE_KEY_LOCKS, idempotencyKey);

      const [existing] = await tx.select().from(charges).where(eq(charges.idempotencyKey, idempotencyKey));
      if (existing) {
        assertSameRequest(existing.requestFingerprint, requestFingerprint, idempotencyKey);
        // A replay answers exactly what the first request got, as Stripe's idempotency does;
        // a refund made since then shows in GET /charges, not here.
        return { outcome: 'charged', charge: { ...toCharge(existing), status: 'succeeded' } };
      }

      const [declined] = await tx.select().from(declinedCharges).where(eq(declinedCharges.idempotencyKey, idempotencyKey));
      if (declined) {
        assertSameRequest(declined.requestFingerprint, requestFingerprint, idempotencyKey);
        return { outcome: 'declined', code: declined.code, message: declined.message };
      }

      // A refund that came first voided this key: the order was given up, so this late charge must not land.
      const [voiding] = await tx.select({ id: refunds.id }).from(refunds).where(eq(refunds.chargeIdempotencyKey, idempotencyKey));
      if (voiding) {
        return { outcome: 'declined', code: 'charge_voided', message: `Charges under ${idempotencyKey} were voided by refund ${voiding.id}` };
      }

      const decline = TOKEN_DECLINES.get(request.token);
      if (decline) {
        await tx.insert(declinedCharges).values({ idempotencyKey, orderId: request.orderId, ...decline, requestFingerprint });
        return { outcome: 'declined', ...decline };
      }

      const [created] = await tx
        .insert(charges)
        .values({
          id: newId('ch'),
          idempotencyKey,
          orderId: request.orderId,
          amount: request.amount,
          currency: request.currency,
          tokenLast4: request.token.slice(-4),
          status: 'succeeded',
          requestFingerprint,
        })
        .returning();
      if (!created) throw new Error('insert into charges returned no row');
      return { outcome: 'charged', charge: toCharge(created) };
    });
  }

  async function refund(idempotencyKey: string, request: RefundRequest): Promise<RefundResult> {
    const requestFingerprint = fingerprint(request.orderId, request.chargeIdempotencyKey);
    return db.transaction(async (tx) => {
      // Always the refund key first, then the charge key; the charge path takes only the latter,
      // so no two transactions can wait on each other in a cycle.
      await lockKey(tx, REFUND_KEY_LOCKS, idempotencyKey);
      await lockKey(tx, CHARGE_KEY_LOCKS, request.chargeIdempotencyKey);

      const [sameKey] = await tx.select().from(refunds).where(eq(refunds.idempotencyKey, idempotencyKey));
      if (sameKey) {
        assertSameRequest(sameKey.requestFingerprint, requestFingerprint, idempotencyKey);
        return { refund: toRefund(sameKey), madeUnderThisKey: true };
      }

      const [sameCharge] = await tx.select().from(refunds).where(eq(refunds.chargeIdempotencyKey, request.chargeIdempotencyKey));
      if (sameCharge) {
        assertSameOrder(sameCharge.orderId, request);
        return { refund: toRefund(sameCharge), madeUnderThisKey: false };
      }

      const [charged] = await tx.select().from(charges).where(eq(charges.idempotencyKey, request.chargeIdempotencyKey));
      if (charged) {
        assertSameOrder(charged.orderId, request);
        await tx.update(charges).set({ status: 'refunded' }).where(eq(charges.id, charged.id));
      }
      const [created] = await tx
        .insert(refunds)
        .values({
          id: newId('re'),
          idempotencyKey,
          chargeIdempotencyKey: request.chargeIdempotencyKey,
          chargeId: charged?.id ?? null,
          orderId: request.orderId,
          amount: charged?.amount ?? 0,
          status: charged ? 'succeeded' : 'voided',
          requestFingerprint,
        })
        .returning();
      if (!created) throw new Error('insert into refunds returned no row');
      return { refund: toRefund(created), madeUnderThisKey: true };
    });
  }

  async function listCharges(orderId: string): Promise<ChargeRecord[]> {
    const rows = await db
      .select({ charge: charges, refund: refunds })
      .from(charges)
      .leftJoin(refunds, eq(refunds.chargeId, charges.id))
      .where(eq(charges.orderId, orderId))
      .orderBy(asc(charges.createdAt), asc(charges.id));
    return rows.map(({ charge, refund }) => ({ ...toCharge(charge), refund: refund ? toRefund(refund) : null }));
  }

  async function listRefunds(orderId: string): Promise<Refund[]> {
    const rows = await db.select().from(refunds).where(eq(refunds.orderId, orderId)).orderBy(asc(refunds.createdAt), asc(refunds.id));
    return rows.map(toRefund);
  }

  return { charge, refund, listCharges, listRefunds };
}

function assertSameOrder(chargedOrderId: string, request: RefundRequest): void {
  if (chargedOrderId !== request.orderId) {
    throw new GatewayRejection('order_mismatch', `Charge key ${request.chargeIdempotencyKey} belongs to another order than ${request.orderId}`);
  }
}
