import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tokenEntryLine } from '../src/platform/api-tokens.js';
import { DEV_TOKENS_FILE } from '../src/platform/config.js';

/** The customer the demo token is bound to, and the README's examples order for. */
export const DEMO_CUSTOMER_ID = 'cus_demo';

/**
 * What `npm start` makes on its first start and keeps under the data folder (mode 0600), so the
 * stack never runs open and the tokens stay the same from one start to the next. Development only:
 * a deployment configures its own (API_TOKENS, PAYMENT_GATEWAY_SECRET, PAYMENTS_ADMIN_SECRET).
 */
export interface DevSecrets {
  adminToken: string;
  customerToken: string;
  /** HMAC secret the worker's payment client signs with and the simulator checks. */
  paymentGatewaySecret: string;
  /** The simulator's own admin routes (fault injection, inspection). */
  paymentsAdminSecret: string;
}

const SECRETS_FILE = 'dev-secrets.json';
const secret = (prefix: string) => `${prefix}_${randomBytes(24).toString('base64url')}`;

function writePrivate(path: string, text: string): void {
  writeFileSync(path, text, { mode: 0o600 });
  chmodSync(path, 0o600); // writeFileSync leaves the mode of a file that already existed
}

/**
 * Reads the dev secrets, making any that are missing. Writes the API's token entries (hashes only)
 * beside them, in the file the API reads on the embedded default (config.ts's DEV_TOKENS_FILE).
 */
export function ensureDevSecrets(dataDir: string): DevSecrets & { apiTokensFile: string } {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, SECRETS_FILE);
  const stored = existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as Partial<DevSecrets>) : {};
  const secrets: DevSecrets = {
    adminToken: stored.adminToken ?? secret('dev_admin'),
    customerToken: stored.customerToken ?? secret('dev_customer'),
    paymentGatewaySecret: stored.paymentGatewaySecret ?? secret('dev_gateway'),
    paymentsAdminSecret: stored.paymentsAdminSecret ?? secret('dev_payments_admin'),
  };
  writePrivate(path, `${JSON.stringify(secrets, null, 2)}\n`);
  const apiTokensFile = join(dataDir, DEV_TOKENS_FILE.split('/').pop()!);
  writePrivate(
    apiTokensFile,
    [
      '# Development tokens made by `npm start` (their plain text is in dev-secrets.json). role:subject:sha256(token)',
      tokenEntryLine('admin', 'dev-admin', secrets.adminToken),
      tokenEntryLine('customer', DEMO_CUSTOMER_ID, secrets.customerToken),
      '',
    ].join('\n'),
  );
  return { ...secrets, apiTokensFile };
}
