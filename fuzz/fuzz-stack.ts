import { chmodSync, createWriteStream, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { connectDatabase, type DatabaseHandle } from '../src/db/client.js';
import { startDevStack, type DevStack } from '../devstack/dev-stack.js';
import { freeStackPorts } from '../devstack/free-port.js';

export interface FuzzStack {
  stack: DevStack;
  database: DatabaseHandle;
  /** Lists the stack's workflows; payloads stay encrypted, which the audit never needs to read. */
  temporal: Client;
  logFile: string;
  stop(): Promise<void>;
}

/**
 * The stack `npm start` runs (the Temporal dev server, PostgreSQL, the gateway, the worker and the
 * API as separate processes), on free ports in a fresh data folder, so the fuzzer never meets a
 * developer's stack and every row it finds was written by this run. Output goes to `logFile`.
 */
export async function startFuzzStack(options: { logDir: string; progress: (message: string) => void }): Promise<FuzzStack> {
  const dataDir = mkdtempSync(join(tmpdir(), 'order-saga-fuzz-'));
  // PostgreSQL runs as the `postgres` user when we are root, so it must be able to enter this folder.
  chmodSync(dataDir, 0o755);
  mkdirSync(options.logDir, { recursive: true });
  const logFile = join(options.logDir, `stack-${new Date().toISOString().replaceAll(':', '-')}.log`);
  const log = createWriteStream(logFile);
  let stack: DevStack;
  try {
    stack = await startDevStack({
      // warn: the API logs every refused request at info, and a fuzz run is mostly refused requests.
      env: { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' },
      dataDir,
      ports: await freeStackPorts(),
      onLine: (source, line) => log.write(`[${source}] ${line}\n`),
      progress: (message) => {
        log.write(`[start] ${message}\n`);
        options.progress(message);
      },
    });
  } catch (error) {
    log.end();
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  const database = connectDatabase(stack.urls.database, { poolSize: 2 });
  const connection = await Connection.connect({ address: stack.urls.temporalAddress });
  const temporal = new Client({ connection, namespace: 'default' });
  let stopped: Promise<void> | undefined;
  return {
    stack,
    database,
    temporal,
    logFile,
    stop: () =>
      (stopped ??= (async () => {
        await connection.close();
        await database.close();
        await stack.stop();
        await new Promise<void>((closed) => log.end(closed));
        rmSync(dataDir, { recursive: true, force: true });
      })()),
  };
}
