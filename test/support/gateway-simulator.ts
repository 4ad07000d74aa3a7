import { createGatewayApp } from '../../simulators/payment-gateway/app.js';
import { createFaultInjector } from '../../simulators/payment-gateway/faults.js';
import { migrateGatewayDatabase } from '../../simulators/payment-gateway/migrate.js';
import type { GatewayDatabaseHandle } from '../../simulators/payment-gateway/store.js';
import type { FaultSettings } from '../../src/payments/contract.js';
import { createLogger, type Logger } from '../../src/platform/logger.js';
import type { GatewaySecrets } from '../../simulators/payment-gateway/request-verification.js';
import { createPaymentGatewayClient, type PaymentGatewayClient } from '../../src/payments/client.js';
import { serveOnFreePort, type ServedApp } from './http.js';

/** The secrets every test gateway runs with; a test of the signing itself makes its own. */
export const TEST_GATEWAY_SECRETS: GatewaySecrets = { signing: 'test-gateway-signing-secret', admin: 'test-gateway-admin-secret' };

/** A client of a test gateway, signing as the worker does (and with the admin secret, for the fault controls). */
export const testGatewayClient = (baseUrl: string, timeoutMs: number): PaymentGatewayClient =>
  createPaymentGatewayClient({ baseUrl, timeoutMs, secret: TEST_GATEWAY_SECRETS.signing, adminSecret: TEST_GATEWAY_SECRETS.admin });

/** A gateway that never fails or stalls; the seed is fixed so a test that turns faults on sees a repeatable run. */
export const NO_FAULTS: FaultSettings = { failureRate: 0, latencyMs: 0, seed: 42 };

export const silentGatewayLogger = (): Logger => createLogger({ name: 'gateway-test', level: 'silent', pretty: false });

/**
 * The payment gateway simulator over real HTTP on a free port, as the worker meets the provider.
 * Its tables are migrated into the test's database first: they keep their own schema, so they can
 * share it without touching the order tables.
 */
export async function serveGatewaySimulator(
  database: GatewayDatabaseHandle,
  { faults = NO_FAULTS, logger = silentGatewayLogger() }: { faults?: FaultSettings; logger?: Logger } = {},
): Promise<ServedApp> {
  await migrateGatewayDatabase(database);
  return serveOnFreePort(createGatewayApp({ database, faults: createFaultInjector(faults), logger, secrets: TEST_GATEWAY_SECRETS }).fetch);
}
