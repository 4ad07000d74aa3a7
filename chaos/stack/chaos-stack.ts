import { chmodSync, createWriteStream, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { startDevStack, type DevStack } from '../../devstack/dev-stack.js';
import { freeStackPorts } from '../../devstack/free-port.js';
import { connectDatabase, type DatabaseHandle } from '../../src/db/client.js';
import { createPaymentGatewayClient, type PaymentGatewayClient } from '../../src/payments/client.js';
import { orderDataConverter, payloadCodecFromConfig } from '../../src/platform/codec/index.js';
import { chaosCustomers, type ChaosCustomer } from './customers.js';

export interface ChaosStack {
  stack: DevStack;
  db: DatabaseHandle;
  /** With the stack's payload codec, so the checker can read workflow results. */
  temporal: Client;
  /** The simulator's client with its admin secret: the fault controls. */
  gateway: PaymentGatewayClient;
  customers: ChaosCustomer[];
  logFile: string;
  /** Orphaned orders the worker's reconciler started, as its log lines report them. */
  reconciled(): number;
  stop(): Promise<void>;
}

/**
 * What the experiments change from `npm start`'s defaults, and why: the reconciler looks for
 * orphans after seconds, not minutes, so api-kill drains within a run; quiet logs keep two cores
 * free for the orders.
 */
const CHAOS_ENV = {
  PENDING_ORDER_RECONCILE_AFTER_MS: '5000',
  PENDING_ORDER_RECONCILE_EVERY_MS: '2000',
  LOG_LEVEL: 'info',
};

/**
 * The whole stack with `npm start`'s launcher, on free ports and in a fresh temporary data folder,
 * so an experiment never meets a developer's stack or their `.data/`. Every line goes to `logFile`.
 */
export async function startChaosStack(options: {
  customers: number;
  env?: Record<string, string>;
  logDir: string;
  progress: (message: string) => void;
}): Promise<ChaosStack> {
  const dataDir = mkdtempSync(join(tmpdir(), 'order-saga-chaos-'));
  // PostgreSQL runs as the `postgres` user when we are root, so it must be able to enter this folder.
  chmodSync(dataDir, 0o755);
  mkdirSync(options.logDir, { recursive: true });
  const logFile = join(options.logDir, `stack-${new Date().toISOString().replaceAll(':', '-')}.log`);
  const log = createWriteStream(logFile);
  const { customers, apiTokens } = chaosCustomers(options.customers);
  let reconciled = 0;
  let stack: DevStack;
  try {
    stack = await startDevStack({
      env: { ...process.env, ...CHAOS_ENV, ...options.env, API_TOKENS: apiTokens },
      dataDir,
      ports: await freeStackPorts(),
      onLine: (source, line) => {
        log.write(`[${source}] ${line}\n`);
        if (source.startsWith('worker') && line.includes('Reconciled orphaned')) reconciled += startedCount(line);
      },
      progress: (message) => log.write(`[start] ${message}\n`),
    });
  } catch (error) {
    log.end();
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  const db = connectDatabase(stack.urls.database, { poolSize: 8 });
  const connection = await Connection.connect({ address: stack.urls.temporalAddress });
  const dataConverter = orderDataConverter(payloadCodecFromConfig({ PAYLOAD_KEYS: stack.payloadKeys, PAYLOAD_ENCRYPTION: stack.payloadKeys ? 'on' : 'off' }));
  const temporal = new Client({ connection, namespace: 'default', dataConverter });
  const gateway = createPaymentGatewayClient({
    baseUrl: stack.urls.payments,
    timeoutMs: 5000,
    secret: stack.secrets.paymentGatewaySecret,
    adminSecret: stack.secrets.paymentsAdminSecret,
  });
  return {
    stack,
    db,
    temporal,
    gateway,
    customers,
    logFile,
    reconciled: () => reconciled,
    async stop() {
      await connection.close();
      await db.close();
      await stack.stop();
      await new Promise<void>((closed) => log.end(closed));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function startedCount(line: string): number {
  try {
    const parsed = JSON.parse(line) as { started?: unknown[] };
    return parsed.started?.length ?? 0;
  } catch {
    return 0;
  }
}
