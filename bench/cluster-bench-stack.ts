import { chmodSync, createWriteStream, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { freeClusterPorts } from '../devstack/cluster-ports.js';
import { startClusterStack, type ClusterStack } from '../devstack/cluster-stack.js';
import { connectDatabase, type DatabaseHandle } from '../src/db/client.js';
import { seedCatalogue } from '../src/db/seed.js';
import { orderDataConverter, payloadCodecFromConfig } from '../src/platform/codec/index.js';
import { BENCH_PRODUCT } from './bench-stack.js';

export interface ClusterBench {
  stack: ClusterStack;
  temporal: Client;
  database: DatabaseHandle;
  logFile: string;
  stop(): Promise<void>;
}

/**
 * `npm run cluster`'s launcher for phase 9: the real Temporal server on PostgreSQL, two workers and
 * two APIs, on free ports and in a fresh temporary data folder; its output goes to `logFile`.
 */
export async function startClusterBench(options: { env: Record<string, string>; logDir: string; progress: (message: string) => void }): Promise<ClusterBench> {
  const dataDir = mkdtempSync(join(tmpdir(), 'order-saga-bench-cluster-'));
  // PostgreSQL runs as the `postgres` user when we are root, so it must be able to enter this folder.
  chmodSync(dataDir, 0o755);
  mkdirSync(options.logDir, { recursive: true });
  const logFile = join(options.logDir, `cluster-${new Date().toISOString().replaceAll(':', '-')}.log`);
  const log = createWriteStream(logFile);
  let stack: ClusterStack;
  try {
    stack = await startClusterStack({
      env: { ...process.env, ...options.env },
      dataDir,
      ports: await freeClusterPorts(),
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
  const dataConverter = orderDataConverter(payloadCodecFromConfig({ PAYLOAD_KEYS: stack.payloadKeys, PAYLOAD_ENCRYPTION: stack.payloadKeys ? 'on' : 'off' }));
  return {
    stack,
    temporal: new Client({ connection, namespace: 'default', dataConverter }),
    database,
    logFile,
    async stop() {
      await connection.close();
      await database.close();
      await stack.stop();
      await new Promise<void>((closed) => log.end(closed));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
