/**
 * The payment gateway's wire contract, shared by the simulator and the typed client.
 * It mimics a Stripe-like provider: amounts in minor units, idempotency by header.
 */
import { z } from 'zod';
import { DEFAULT_PAYMENT_TOKEN } from '../domain/order.js';

export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';
export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;
/**
 * Like Stripe's ceiling for a single charge; it also keeps amounts inside the 32-bit column. The simulator
 * refuses a larger charge (chargeRequestSchema), and the API refuses an order whose total is larger.
 */
export const MAX_CHARGE_AMOUNT = 99_999_999;

/** Test tokens with deterministic outcomes, in the spirit of Stripe's test cards. */
export const TEST_TOKENS = {
  /** Always succeeds: the token an order pays with when its client names none. */
  visa: DEFAULT_PAYMENT_TOKEN,
  /** Always declined: card_declined. */
  declined: 'tok_chargeDeclined',
  /** Always declined: insufficient_funds. */
  insufficientFunds: 'tok_chargeDeclinedInsufficientFunds',
} as const;

export interface ChargeRequest {
  orderId: string;
  amount: number;
  currency: string;
  token: string;
}

export interface Charge {
  id: string;
  orderId: string;
  amount: number;
  currency: string;
  status: 'succeeded' | 'refunded';
  idempotencyKey: string;
  createdAt: string;
}

export interface RefundRequest {
  orderId: string;
  /** The Idempotency-Key the charge was (or would have been) made with. */
  chargeIdempotencyKey: string;
}

export interface Refund {
  id: string;
  orderId: string;
  chargeId: string | null;
  amount: number;
  /** `voided`: no charge had been made under that key; the key is now closed, so a late charge with it is refused. */
  status: 'succeeded' | 'voided';
  createdAt: string;
}

export interface GatewayErrorBody {
  error: { code: string; message: string };
}

export type DeclineCode = 'card_declined' | 'insufficient_funds' | 'charge_voided';

/** A charge as GET /charges lists it, with the refund or void recorded against its key, if any. */
export interface ChargeRecord extends Charge {
  refund: Refund | null;
}

export interface ListResponse<T> {
  data: T[];
}

/** Codes for requests the gateway refuses outright (as opposed to declines, which are answers). */
export type GatewayErrorCode =
  'invalid_request' | 'idempotency_key_missing' | 'idempotency_key_mismatch' | 'order_mismatch' | 'not_found' | 'service_unavailable' | 'internal_error';

/** Simulator only: the fault injector's settings, read and changed through /admin/faults. */
export interface FaultSettings {
  /** Probability in [0, 1] that a request answers 503 before doing anything. */
  failureRate: number;
  /** Added latency per request, in milliseconds. */
  latencyMs: number;
  /** Seed of the repeatable random sequence that decides which requests fail. */
  seed: number;
  /** Path prefixes the faults apply to (`/charges`, say); every path when absent or empty. */
  paths?: string[];
  /** Fail exactly the next N requests the faults apply to, before the failure rate has its say. */
  failNext?: number;
  /**
   * Then do the next N requests, and lose their answers: a 503 in place of what was committed, as
   * when a provider's response dies on its way back. A retry then finds the first attempt's effect.
   */
  loseNextResponses?: number;
  /**
   * Once no response is left to lose, refuse the next `count` requests with `status` before doing
   * anything: a 4xx that is no decline, as a real provider answers a retry while the first attempt
   * is still processing (409), after a key rotation (401, 403), or from behind a proxy (404, 413).
   */
  rejectNext?: { status: InjectedRejectionStatus; count: number };
}

/** The 4xx a provider can answer a retried request with, none of them a decline. */
export const INJECTED_REJECTION_STATUSES = [401, 403, 404, 409, 413] as const;
export type InjectedRejectionStatus = (typeof INJECTED_REJECTION_STATUSES)[number];

export const idempotencyKeySchema = z.string().trim().min(1).max(MAX_IDEMPOTENCY_KEY_LENGTH);

export const chargeRequestSchema = z.strictObject({
  orderId: z.string().min(1).max(128),
  amount: z.number().int().positive().max(MAX_CHARGE_AMOUNT),
  currency: z
    .string()
    .regex(/^[A-Za-z]{3}$/, 'must be an ISO 4217 code such as USD')
    .transform((c) => c.toUpperCase()),
  token: z
    .string()
    .max(128)
    .regex(/^tok_\w+$/, 'must be a payment token such as tok_visa'),
}) satisfies z.ZodType<ChargeRequest, unknown>;

export const refundRequestSchema = z.strictObject({
  orderId: z.string().min(1).max(128),
  chargeIdempotencyKey: idempotencyKeySchema,
}) satisfies z.ZodType<RefundRequest, unknown>;

export const faultSettingsUpdateSchema = z.strictObject({
  failureRate: z.number().min(0).max(1).optional(),
  latencyMs: z.number().int().min(0).max(60_000).optional(),
  seed: z.number().int().optional(),
  paths: z.array(z.string().startsWith('/').max(64)).max(10).optional(),
  failNext: z.number().int().min(0).max(1000).optional(),
  loseNextResponses: z.number().int().min(0).max(1000).optional(),
  rejectNext: z
    .strictObject({
      status: z.literal([...INJECTED_REJECTION_STATUSES]),
      count: z.number().int().min(0).max(1000),
    })
    .optional(),
}) satisfies z.ZodType<Partial<FaultSettings>, unknown>;

/*
 * The gateway's answers, as the client checks them before it believes them: a misrouted URL, a
 * proxy's page or a provider mid-deploy can answer 2xx with something that is no charge at all.
 * Not strict: a provider may add fields, and the client keeps only those it knows.
 */
const answerId = z.string().min(1).max(255);
const timestamp = z.string().min(1).max(64);

export const chargeSchema = z.object({
  id: answerId,
  orderId: z.string().min(1).max(128),
  amount: z.number().int().positive().max(MAX_CHARGE_AMOUNT),
  currency: z.string().regex(/^[A-Z]{3}$/),
  status: z.enum(['succeeded', 'refunded']),
  idempotencyKey: idempotencyKeySchema,
  createdAt: timestamp,
}) satisfies z.ZodType<Charge, unknown>;

export const refundSchema = z.object({
  id: answerId,
  orderId: z.string().min(1).max(128),
  chargeId: answerId.nullable(),
  amount: z.number().int().nonnegative().max(MAX_CHARGE_AMOUNT),
  status: z.enum(['succeeded', 'voided']),
  createdAt: timestamp,
}) satisfies z.ZodType<Refund, unknown>;

export const chargeRecordSchema = chargeSchema.extend({ refund: refundSchema.nullable() }) satisfies z.ZodType<ChargeRecord, unknown>;

export const gatewayErrorBodySchema = z.object({ error: z.object({ code: z.string().max(255), message: z.string().max(10_000) }) }) satisfies z.ZodType<
  GatewayErrorBody,
  unknown
>;

export const listResponseSchema = <T extends z.ZodType>(item: T) => z.object({ data: z.array(item) });

/** Simulator only: the fault settings /admin/faults answers with. */
export const faultSettingsSchema = faultSettingsUpdateSchema.required({ failureRate: true, latencyMs: true, seed: true }) satisfies z.ZodType<FaultSettings, unknown>;
