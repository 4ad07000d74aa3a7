import type { z } from 'zod';
import {
  IDEMPOTENCY_KEY_HEADER,
  chargeRecordSchema,
  chargeSchema,
  faultSettingsSchema,
  gatewayErrorBodySchema,
  listResponseSchema,
  refundSchema,
  type Charge,
  type ChargeRecord,
  type ChargeRequest,
  type DeclineCode,
  type FaultSettings,
  type GatewayErrorBody,
  type Refund,
  type RefundRequest,
} from './contract.js';
import { signatureHeaders } from './request-signing.js';

export type ChargeOutcome = { outcome: 'succeeded'; charge: Charge } | { outcome: 'declined'; code: DeclineCode | (string & {}); message: string };

export interface PaymentGatewayClient {
  charge(idempotencyKey: string, request: ChargeRequest): Promise<ChargeOutcome>;
  refund(idempotencyKey: string, request: RefundRequest): Promise<Refund>;
  listCharges(orderId: string): Promise<ChargeRecord[]>;
  listRefunds(orderId: string): Promise<Refund[]>;
  /** Simulator only. */
  getFaults(): Promise<FaultSettings>;
  /** Simulator only. */
  setFaults(changes: Partial<FaultSettings>): Promise<FaultSettings>;
}

export interface PaymentGatewayClientOptions {
  baseUrl: string;
  /** Per call. A call that takes longer is abandoned and reported as transient. */
  timeoutMs: number;
  /** Every call is signed with this shared secret (PAYMENT_GATEWAY_SECRET). */
  secret: string;
  /** The simulator's admin secret, for getFaults/setFaults; the worker has none. */
  adminSecret?: string;
  fetch?: typeof globalThis.fetch;
}

/** The gateway could not be reached or was momentarily unwell; the same call may succeed later. */
export class GatewayUnavailableError extends Error {
  readonly code = 'gateway_unavailable';
  constructor(
    message: string,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'GatewayUnavailableError';
  }
}

/** The gateway refused the request itself (a 4xx other than a decline); sending it again cannot help. */
export class GatewayRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'GatewayRequestError';
  }
}

interface GatewayResponse {
  status: number;
  body: unknown;
}

function isErrorBody(body: unknown): body is GatewayErrorBody {
  const error = (body as Partial<GatewayErrorBody> | null)?.error;
  return typeof error?.code === 'string' && typeof error.message === 'string';
}

function describeError(body: unknown): { code: string; message: string } {
  return isErrorBody(body) ? body.error : { code: 'unknown', message: JSON.stringify(body) ?? 'no body' };
}

function describeCause(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && error.name === 'TimeoutError') return `timed out after ${timeoutMs}ms`;
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return `${error.message}${cause}`;
  }
  return String(error);
}

/**
 * A 2xx (or a 402) whose body is not what the contract promises is no answer at all: the URL may
 * be misrouted to another service, or the provider mid-deploy. Believing it could complete an
 * order without a charge, so it is reported as transient, and the payment deadline bounds the retries.
 */
function validAnswer<S extends z.ZodType>(schema: S, what: string, { status, body }: GatewayResponse): z.output<S> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const [issue] = parsed.error.issues;
  const where = issue ? `${issue.path.join('.') || 'body'}: ${issue.message}` : 'no body';
  throw new GatewayUnavailableError(`Payment gateway ${what} answered ${status} with a body that breaks its contract (${where})`, status);
}

/** The charge answered must be the one asked for: a replay under the order's key is, and anything else is no answer to it. */
function chargeFor(request: ChargeRequest, response: GatewayResponse): Charge {
  const charge = validAnswer(chargeSchema, 'POST /charges', response);
  if (charge.orderId !== request.orderId || charge.amount !== request.amount || charge.currency !== request.currency.toUpperCase()) {
    throw new GatewayUnavailableError(
      `Payment gateway POST /charges answered ${response.status} with charge ${charge.id} for ${charge.orderId} (${charge.amount} ${charge.currency}), not this request`,
      response.status,
    );
  }
  return charge;
}

export function createPaymentGatewayClient({
  baseUrl,
  timeoutMs,
  secret,
  adminSecret,
  fetch: fetchImpl = globalThis.fetch,
}: PaymentGatewayClientOptions): PaymentGatewayClient {
  const root = baseUrl.replace(/\/+$/, '');

  /** Sends one request; throws GatewayUnavailableError for anything that a retry could cure. */
  async function send(method: string, path: string, { body, idempotencyKey }: { body?: unknown; idempotencyKey?: string } = {}): Promise<GatewayResponse> {
    const what = `${method} ${path}`;
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (idempotencyKey !== undefined) headers[IDEMPOTENCY_KEY_HEADER] = idempotencyKey;
    const payload = body === undefined ? '' : JSON.stringify(body);
    const signingSecret = path.startsWith('/admin/') ? adminSecret : secret;
    if (signingSecret === undefined)
      throw new GatewayRequestError(0, 'no_admin_secret', `Payment gateway ${what} needs the admin secret, which this client was not given`);
    // Signed per attempt, with a fresh timestamp and nonce: a retry is a new request to the gateway.
    Object.assign(headers, signatureHeaders(signingSecret, { method, path, body: payload }));
    let response: GatewayResponse;
    try {
      // The timeout covers reading the body too: a gateway that stalls mid-answer is as unavailable as one that never answers.
      const res = await fetchImpl(`${root}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : payload,
        signal: AbortSignal.timeout(timeoutMs),
      });
      const text = await res.text();
      response = { status: res.status, body: text ? parseJson(text) : null };
    } catch (error) {
      throw new GatewayUnavailableError(`Payment gateway ${what} failed: ${describeCause(error, timeoutMs)}`, undefined, { cause: error });
    }
    if (response.status >= 500 || response.status === 429) {
      const { code, message } = describeError(response.body);
      throw new GatewayUnavailableError(`Payment gateway ${what} answered ${response.status} ${code}: ${message}`, response.status);
    }
    return response;
  }

  function refused(what: string, { status, body }: GatewayResponse): GatewayRequestError {
    const { code, message } = describeError(body);
    return new GatewayRequestError(status, code, `Payment gateway ${what} answered ${status} ${code}: ${message}`);
  }

  async function expectOk<S extends z.ZodType>(method: string, path: string, schema: S, options?: { body?: unknown; idempotencyKey?: string }): Promise<z.output<S>> {
    const response = await send(method, path, options);
    if (response.status < 200 || response.status >= 300) throw refused(`${method} ${path}`, response);
    return validAnswer(schema, `${method} ${path}`, response);
  }

  return {
    async charge(idempotencyKey, request) {
      const response = await send('POST', '/charges', { body: request, idempotencyKey });
      if (response.status === 200 || response.status === 201) return { outcome: 'succeeded', charge: chargeFor(request, response) };
      if (response.status === 402) return { outcome: 'declined', ...validAnswer(gatewayErrorBodySchema, 'POST /charges', response).error };
      throw refused('POST /charges', response);
    },
    refund: (idempotencyKey, request) => expectOk('POST', '/refunds', refundSchema, { body: request, idempotencyKey }),
    listCharges: async (orderId) => (await expectOk('GET', `/charges?orderId=${encodeURIComponent(orderId)}`, listResponseSchema(chargeRecordSchema))).data,
    listRefunds: async (orderId) => (await expectOk('GET', `/refunds?orderId=${encodeURIComponent(orderId)}`, listResponseSchema(refundSchema))).data,
    getFaults: () => expectOk('GET', '/admin/faults', faultSettingsSchema),
    setFaults: (changes) => expectOk('PUT', '/admin/faults', faultSettingsSchema, { body: changes }),
  };
}

/** A proxy in front of the gateway may answer in HTML; keep the text so the error still explains itself. */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
