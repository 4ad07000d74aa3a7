import { chmodSync, createWriteStream, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { connectDatabase, type DatabaseHandle } from '../src/db/client.js';
import { seedCatalogue, type ProductSeed } from '../src/db/seed.js';
import { orderDataConverter, payloadCodecFromConfig } from '../src/platform/codec/index.js';
import { startDevStack, type DevStack } from '../devstack/dev-stack.js';
import { freeStackPorts } from '../devstack/free-port.js';
import { findWorkerPid } from './measure/processes.js';

/** The one product every benchmark order buys; stocked so that no run can sell it out. */
export const BENCH_PRODUCT: ProductSeed = { sku: 'BENCH-001', name: 'Benchmark widget', unitPrice: 8900, currency: 'USD', stockAvailable: 1_000_000_000 };

export interface BenchStack {
  stack: DevStack;
  temporal: Client;
  /** The stack's payload codec, for a worker the benchmark runs itself. */
  dataConverter: DataConverter;
  database: DatabaseHandle;
  workerPid: number;
  logFile: string;
  /** SIGSTOP / SIGCONT the order worker: its tasks wait on the task queue meanwhile. */
  pauseWorker(): void;
  resumeWorker(): void;
  stop(): Promise<void>;
}

/**
 * The whole stack as `npm start` runs it, but on free ports and in a fresh temporary data folder,
 * so it never meets a developer's running stack or their `.data/`. Every output line goes to
 * `logFile`, not the terminal.
 */
export async function startBenchStack(options: {
  sqlitePragmas: string[];
  env: Record<string, string>;
  logDir: string;
  progress: (message: string) => void;
}): Promise<BenchStack> {
  const dataDir = mkdtempSync(join(tmpdir(), 'order-saga-bench-'));
  // PostgreSQL runs as the `postgres` user when we are root, so it must be able to enter this folder.
  chmodSync(dataDir, 0o755);
  mkdirSync(options.logDir, { recursive: true });
  const logFile = join(options.logDir, `stack-${new Date().toISOString().replaceAll(':', '-')}.log`);
  const log = createWriteStream(logFile);
  let stack: DevStack;
  try {
    stack = await startDevStack({
      env: { ...process.env, ...options.env },
      dataDir,
      ports: await freeStackPorts(),
      sqlitePragmas: options.sqlitePragmas,
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
  const database = connectDatabase(stack.urls.database, { poolSize: 8 });
  await seedCatalogue(database.db, [BENCH_PRODUCT]);
  const connection = await Connection.connect({ address: stack.urls.temporalAddress });
  // The stack's workers encrypt payloads: the benchmark's client (and its floor worker) use the same keys.
  const dataConverter = orderDataConverter(payloadCodecFromConfig({ PAYLOAD_KEYS: stack.payloadKeys, PAYLOAD_ENCRYPTION: stack.payloadKeys ? 'on' : 'off' }));
  const temporal = new Client({ connection, namespace: 'default', dataConverter });
  const workerPid = findWorkerPid();
  let paused = false;
  return {
    stack,
    temporal,
    dataConverter,
    database,
    workerPid,
    logFile,
    pauseWorker: () => {
      process.kill(workerPid, 'SIGSTOP');
      paused = true;
    },
    resumeWorker: () => {
      process.kill(workerPid, 'SIGCONT');
      paused = false;
    },
    async stop() {
      // A stopped worker would hold its SIGTERM until the grace period ran out.
      if (paused) process.kill(workerPid, 'SIGCONT');
      await connection.close();
      await database.close();
      await stack.stop();
      await new Promise<void>((closed) => log.end(closed));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
