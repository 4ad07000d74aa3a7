/**
 * The payment gateway's wire contract, shared by the simulator and the typed client.
 * It mimics a Stripe-like provider: amounts in minor units, idempotency by header.
 */

/** Test tokens with deterministic outcomes, in the spirit of Stripe's test cards. */
export const TEST_TOKENS = {
  /** Always succeeds. */
  visa: 'tok_visa',
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
