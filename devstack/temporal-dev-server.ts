import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Connection } from '@temporalio/client';
import { DEFAULT_TEMPORAL_PORT } from '../src/platform/temporal-connection.js';
import { spawnManaged, type ManagedProcess } from './child-process.js';
import { waitFor } from './wait-for.js';

export interface DevServerOptions {
  binary: string;
  ip?: string;
  port?: number;
  /** The Web UI's port; `null` runs headless. */
  uiPort?: number | null;
  /** SQLite file, so that history survives a restart. In memory when absent. */
  dbFilename?: string;
  namespace?: string;
  /** Custom search attributes to register at launch, as name → CLI type (Keyword, Double, ...). */
  searchAttributes?: Record<string, string>;
  sqlitePragmas?: string[];
  /** The codec server the Web UI sends payloads to for decoding (`--ui-codec-endpoint`). */
  uiCodecEndpoint?: string;
  logLevel?: 'debug' | 'info' | 'warn' | 'error' | 'never';
  /** `--dynamic-config-value` settings, each value as JSON; DEV_SERVER_DYNAMIC_CONFIG when absent. */
  dynamicConfig?: Record<string, unknown>;
  onLine?: (line: string) => void;
  readyTimeoutMs?: number;
}

export interface DevServer {
  address: string;
  uiUrl?: string;
  process: ManagedProcess;
  stop(): Promise<void>;
}

/**
 * Worker Deployment Versioning needs no switch on server 1.29.1 (`system.enableDeploymentVersions`
 * defaults to true). But a version that stopped being current reports DRAINED only after a
 * visibility grace period and then a refresh interval, 3 minutes each by default: on the dev
 * server, whose SQLite visibility is immediate, a second each, so a rollout drains in seconds.
 */
export const DEV_SERVER_DYNAMIC_CONFIG: Record<string, unknown> = {
  'matching.wv.VersionDrainageStatusVisibilityGracePeriod': '1s',
  'matching.wv.VersionDrainageStatusRefreshInterval': '1s',
};

export function devServerArgs(options: DevServerOptions): string[] {
  const { ip = '127.0.0.1', port = DEFAULT_TEMPORAL_PORT, uiPort = port + 1000, namespace = 'default' } = options;
  const args = ['server', 'start-dev', '--ip', ip, '--port', String(port), '--namespace', namespace];
  args.push('--log-format', 'json', '--log-level', options.logLevel ?? 'warn');
  if (uiPort === null) args.push('--headless');
  else args.push('--ui-ip', ip, '--ui-port', String(uiPort));
  if (uiPort !== null && options.uiCodecEndpoint) args.push('--ui-codec-endpoint', options.uiCodecEndpoint);
  if (options.dbFilename) args.push('--db-filename', options.dbFilename);
  for (const [name, type] of Object.entries(options.searchAttributes ?? {})) args.push('--search-attribute', `${name}=${type}`);
  for (const pragma of options.sqlitePragmas ?? []) args.push('--sqlite-pragma', pragma);
  for (const [key, value] of Object.entries(options.dynamicConfig ?? DEV_SERVER_DYNAMIC_CONFIG)) args.push('--dynamic-config-value', `${key}=${JSON.stringify(value)}`);
  return args;
}

/** Starts `temporal server start-dev` and resolves once its frontend answers. */
export async function startTemporalDevServer(options: DevServerOptions): Promise<DevServer> {
  const { ip = '127.0.0.1', port = DEFAULT_TEMPORAL_PORT, uiPort = port + 1000 } = options;
  if (options.dbFilename) mkdirSync(dirname(options.dbFilename), { recursive: true });
  const proc = spawnManaged('temporal', options.binary, devServerArgs(options), { onLine: options.onLine });
  const address = `${ip}:${port}`;
  let exitedEarly = false;
  void proc.exited.then(() => (exitedEarly = true));
  await waitFor(
    `the Temporal dev server at ${address}`,
    async () => {
      if (exitedEarly) throw new Error('the dev server process exited (is the port in use?)');
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      try {
        await connection.workflowService.getSystemInfo({});
        return true;
      } finally {
        await connection.close();
      }
    },
    { timeoutMs: options.readyTimeoutMs ?? 60_000, intervalMs: 250 },
  ).catch(async (error) => {
    await proc.stop();
    throw error;
  });
  return {
    address,
    uiUrl: uiPort === null ? undefined : `http://${ip}:${uiPort}`,
    process: proc,
    stop: () => proc.stop(),
  };
}
