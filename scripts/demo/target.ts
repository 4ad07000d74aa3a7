import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_PORTS, type DevStack } from '../../devstack/dev-stack.js';
import { DEMO_CUSTOMER_ID, type DevSecrets } from '../../devstack/dev-secrets.js';
import { readStackFile } from '../../devstack/stack-file.js';

/** Everything the tour needs to know about the stack it walks through. */
export interface DemoTarget {
  apiUrl: string;
  adminToken: string;
  /** The token of the customer whose orders the tour places. */
  customerToken: string;
  customerId: string;
  /** The simulator's fault controls (/admin/faults), which need its admin secret. */
  gateway: { url: string; adminSecret: string };
  temporal: { address: string; namespace: string; uiUrl: string };
  /** Whether the CLI needs the codec server (`--codec-endpoint <api>/codec`) to show payloads. */
  payloadsEncrypted: boolean;
}

/** A stack this process started itself (`npm run demo -- --own-stack`). */
export function targetOfDevStack({ urls, secrets, payloadsEncrypted }: DevStack): DemoTarget {
  return {
    apiUrl: urls.api,
    adminToken: secrets.adminToken,
    customerToken: secrets.customerToken,
    customerId: DEMO_CUSTOMER_ID,
    gateway: { url: urls.payments, adminSecret: secrets.paymentsAdminSecret },
    temporal: { address: urls.temporalAddress, namespace: 'default', uiUrl: urls.temporalUi },
    payloadsEncrypted,
  };
}

/**
 * The `npm start` running from this data folder: its tokens from dev-secrets.json, its addresses
 * from stack.json (written once it is up), or the default ports when an older start wrote none.
 */
export function targetOfRunningStack(dataDir: string): DemoTarget {
  const secretsPath = join(dataDir, 'dev-secrets.json');
  if (!existsSync(secretsPath)) {
    throw new Error(`No ${secretsPath}: start the stack first (\`npm start\`, in another terminal), or run \`npm run demo -- --own-stack\``);
  }
  const secrets = JSON.parse(readFileSync(secretsPath, 'utf8')) as DevSecrets;
  const stack = readStackFile(dataDir);
  const urls = stack?.urls ?? {
    api: `http://127.0.0.1:${DEFAULT_PORTS.api}`,
    payments: `http://127.0.0.1:${DEFAULT_PORTS.payments}`,
    temporalAddress: `127.0.0.1:${DEFAULT_PORTS.temporal}`,
    temporalUi: `http://127.0.0.1:${DEFAULT_PORTS.temporalUi}`,
  };
  return {
    apiUrl: urls.api,
    adminToken: secrets.adminToken,
    customerToken: secrets.customerToken,
    customerId: DEMO_CUSTOMER_ID,
    gateway: { url: urls.payments, adminSecret: secrets.paymentsAdminSecret },
    temporal: { address: urls.temporalAddress, namespace: stack?.namespace ?? 'default', uiUrl: urls.temporalUi },
    payloadsEncrypted: stack?.payloadsEncrypted ?? true,
  };
}
