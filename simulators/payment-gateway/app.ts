import { setTimeout as sleep } from 'node:timers/promises';
import { Hono, type MiddlewareHandler } from 'hono';
import { requestId, type RequestIdVariables } from 'hono/request-id';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { z } from 'zod';
import type { Logger } from '../../src/platform/logger.js';
import {
  IDEMPOTENCY_KEY_HEADER,
  chargeRequestSchema,
  faultSettingsUpdateSchema,
  idempotencyKeySchema,
  refundRequestSchema,
  type GatewayErrorBody,
  type GatewayErrorCode,
  type InjectedRejectionStatus,
} from '../../src/payments/contract.js';
import type { FaultInjector } from './faults.js';
import { verifySignedRequests, type GatewaySecrets } from './request-verification.js';
import { GatewayRejection, createPaymentStore, type GatewayDatabaseHandle } from './store.js';

export interface GatewayAppDependencies {
  database: GatewayDatabaseHandle;
  faults: FaultInjector;
  logger: Logger;
  /** Every call but /health must be signed: the provider's API with `signing`, /admin/* with `admin`. */
  secrets: GatewaySecrets;
}

type GatewayEnv = { Variables: RequestIdVariables & { log: Logger } };

/** The one place a refusal becomes an HTTP status. Declines (402) are answers, not refusals. */
const STATUS_BY_CODE: Record<GatewayErrorCode, ContentfulStatusCode> = {
  invalid_request: 400,
  idempotency_key_missing: 400,
  idempotency_key_mismatch: 422,
  order_mismatch: 422,
  not_found: 404,
  service_unavailable: 503,
  internal_error: 500,
};

const errorBody = (code: string, message: string): GatewayErrorBody => ({ error: { code, message } });

/** The codes a real provider's refusals come with, for the refusals the fault injector plays. */
const INJECTED_REJECTION_CODES: Record<InjectedRejectionStatus, string> = {
  401: 'authentication_failed',
  403: 'forbidden',
  404: 'not_found',
  409: 'idempotency_request_in_progress',
  413: 'payload_too_large',
};

/** One JSON log line per request: never the body, so a payment token cannot reach the log. */
function logRequests(logger: Logger): MiddlewareHandler<GatewayEnv> {
  return async (c, next) => {
    const started = performance.now();
    const log = logger.child({ requestId: c.get('requestId') });
    c.set('log', log);
    await next();
    const fields = { method: c.req.method, path: c.req.path, status: c.res.status, durationMs: Math.round(performance.now() - started) };
    if (c.res.status >= 500) log.warn(fields, 'request failed');
    else log.info(fields, 'request');
  };
}

/**
 * Plays an unreliable provider: added latency, then maybe a 503 before anything is read or written,
 * a refusal (4xx) before anything is done, or a 503 in place of the answer to what was done.
 * Health and the simulator's admin endpoints are exempt, so tests can always reach the controls.
 */
function injectFaults(faults: FaultInjector): MiddlewareHandler<GatewayEnv> {
  return async (c, next) => {
    if (c.req.path === '/health' || c.req.path.startsWith('/admin/') || !faults.appliesTo(c.req.path)) return next();
    const { delayMs, fail, loseResponse, rejectWith } = faults.next();
    if (delayMs > 0) await sleep(delayMs);
    if (fail) throw new GatewayRejection('service_unavailable', 'Injected transient failure; retry with the same Idempotency-Key');
    if (rejectWith) return c.json(errorBody(INJECTED_REJECTION_CODES[rejectWith], `Injected refusal ${rejectWith}`), rejectWith);
    await next();
    if (loseResponse) c.res = c.json(errorBody('service_unavailable', 'Injected lost response: the request was done, its answer lost'), 503);
  };
}

function idempotencyKeyOf(header: string | undefined): string {
  const parsed = idempotencyKeySchema.safeParse(header);
  if (!parsed.success) {
    throw new GatewayRejection('idempotency_key_missing', `An ${IDEMPOTENCY_KEY_HEADER} header of 1 to 255 characters is required`);
  }
  return parsed.data;
}

async function bodyOf<T extends z.ZodType>(request: Request, schema: T): Promise<z.output<T>> {
  const json: unknown = await request.json().catch(() => {
    throw new GatewayRejection('invalid_request', 'The body must be JSON');
  });
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw new GatewayRejection('invalid_request', parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
  }
  return parsed.data;
}

function orderIdOf(value: string | undefined): string {
  if (!value) throw new GatewayRejection('invalid_request', 'The orderId query parameter is required');
  return value;
}

export function createGatewayApp({ database, faults, logger, secrets }: GatewayAppDependencies): Hono<GatewayEnv> {
  const store = createPaymentStore(database);
  const app = new Hono<GatewayEnv>();

  app.use('*', requestId());
  app.use('*', logRequests(logger));
  app.use('*', verifySignedRequests(secrets));
  app.use('*', injectFaults(faults));

  app.get('/health', (c) => c.json({ status: 'ok' }));

  /** 201 with the charge, or 402 with the decline; a replay with the same key answers the same. */
  app.post('/charges', async (c) => {
    const key = idempotencyKeyOf(c.req.header(IDEMPOTENCY_KEY_HEADER));
    const result = await store.charge(key, await bodyOf(c.req.raw, chargeRequestSchema));
    if (result.outcome === 'declined') return c.json(errorBody(result.code, result.message), 402);
    return c.json(result.charge, 201);
  });

  /**
   * 201 with the refund made under this Idempotency-Key (first time or replay);
   * 200 with the existing refund when the charge key was already refunded under another key.
   */
  app.post('/refunds', async (c) => {
    const key = idempotencyKeyOf(c.req.header(IDEMPOTENCY_KEY_HEADER));
    const { refund, madeUnderThisKey } = await store.refund(key, await bodyOf(c.req.raw, refundRequestSchema));
    return c.json(refund, madeUnderThisKey ? 201 : 200);
  });

  app.get('/charges', async (c) => c.json({ data: await store.listCharges(orderIdOf(c.req.query('orderId'))) }));
  app.get('/refunds', async (c) => c.json({ data: await store.listRefunds(orderIdOf(c.req.query('orderId'))) }));

  // Simulator only: a real provider has no such endpoint. Tests and chaos runs change faults here.
  app.get('/admin/faults', (c) => c.json(faults.settings()));
  app.put('/admin/faults', async (c) => c.json(faults.update(await bodyOf(c.req.raw, faultSettingsUpdateSchema))));

  app.notFound((c) => c.json(errorBody('not_found', `No route for ${c.req.method} ${c.req.path}`), 404));
  app.onError((error, c) => {
    if (error instanceof GatewayRejection) return c.json(errorBody(error.code, error.message), STATUS_BY_CODE[error.code]);
    (c.get('log') ?? logger).error({ err: error }, 'unhandled error');
    return c.json(errorBody('internal_error', 'Internal error'), 500);
  });

  return app;
}
