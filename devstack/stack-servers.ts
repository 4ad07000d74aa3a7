import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ORDER_SEARCH_ATTRIBUTE_TYPES } from '../src/workflows/search-attributes.js';
import { EMBEDDED_DATABASE_URL, type Env } from '../src/platform/config.js';
import { postgresUrl, startEmbeddedPostgres } from './embedded-postgres.js';
import { ensureTemporalCli, findTemporalCli, temporalCliCacheDir, TEMPORAL_CLI_VERSION } from './temporal-cli.js';
import { startTemporalDevServer, type DevServer } from './temporal-dev-server.js';

/** For the progress lines of the slow phases: "2.4 s". */
export const secondsSince = (startedAt: number) => `${((Date.now() - startedAt) / 1000).toFixed(1)} s`;

/** The database the services' default DATABASE_URL names. */
export const ORDERS_DATABASE = new URL(EMBEDDED_DATABASE_URL).pathname.slice(1);

/** The two servers under the stack, each started from the stack's data folder: `npm start`, `npm run temporal`, `npm run db`. */

export interface StackTemporalOptions {
  env: Env;
  dataDir: string;
  port: number;
  uiPort: number;
  sqlitePragmas?: string[];
  onLine?: (line: string) => void;
  progress: (message: string) => void;
}

/** The dev server with the order search attributes, its history in `<dataDir>/temporal/temporal.db`. */
export async function startStackTemporal(options: StackTemporalOptions): Promise<DevServer> {
  if (!findTemporalCli(options.env)) {
    options.progress(
      `No Temporal CLI found: building ${TEMPORAL_CLI_VERSION} with Go into ${temporalCliCacheDir(options.env)}. ` +
        'This happens once and takes a few minutes; later starts take seconds.',
    );
  }
  const binary = await ensureTemporalCli(options.env, options.progress);
  const started = Date.now();
  let stopping = false;
  const server = await startTemporalDevServer({
    binary,
    port: options.port,
    uiPort: options.uiPort,
    dbFilename: join(options.dataDir, 'temporal', 'temporal.db'),
    searchAttributes: ORDER_SEARCH_ATTRIBUTE_TYPES,
    sqlitePragmas: options.sqlitePragmas,
    // While it shuts down, the dev server warns about every internal poller it cuts off: noise, not news.
    onLine: (line) => {
      if (!(stopping && line.includes('"level":"WARN"'))) options.onLine?.(line);
    },
  });
  options.progress(`Temporal dev server up in ${secondsSince(started)} (${server.address}, Web UI ${server.uiUrl ?? 'off'})`);
  return {
    ...server,
    stop: () => {
      stopping = true;
      return server.stop();
    },
  };
}

export interface StackPostgres {
  url: string;
  dataDir: string;
  /** Resolves when the postmaster is gone, whoever stopped it. */
  exited: Promise<void>;
  stop(): Promise<void>;
}

/** Embedded PostgreSQL in `<dataDir>/postgres`, with the `orders` database; initialised on the first start only. */
export async function startStackPostgres(options: {
  dataDir: string;
  port: number;
  onLine?: (line: string) => void;
  progress: (message: string) => void;
}): Promise<StackPostgres> {
  const dataDir = join(options.dataDir, 'postgres');
  const started = Date.now();
  const initialising = !existsSync(join(dataDir, 'PG_VERSION'));
  if (initialising) options.progress(`Initialising PostgreSQL in ${dataDir} (first start only)`);
  const server = await startEmbeddedPostgres({
    dataDir,
    port: options.port,
    databases: [ORDERS_DATABASE],
    onLog: (message) => {
      for (const line of message.split('\n')) if (line.trim()) options.onLine?.(line);
    },
  });
  const exited = postmasterExit(dataDir);
  options.progress(`PostgreSQL ${initialising ? 'initialised and ' : ''}up in ${secondsSince(started)} (port ${options.port})`);
  return {
    url: postgresUrl(options.port, ORDERS_DATABASE),
    dataDir,
    exited,
    // embedded-postgres waits for an exit event that never comes if the server has died already.
    stop: () => Promise.race([server.stop(), exited]),
  };
}

/** embedded-postgres does not expose its process, so liveness comes from the PID PostgreSQL records itself. */
function postmasterExit(dataDir: string): Promise<void> {
  const pid = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  return new Promise<void>((resolveExit) => {
    const timer = setInterval(() => {
      try {
        process.kill(pid, 0);
      } catch {
        clearInterval(timer);
        resolveExit();
      }
    }, 500);
    timer.unref();
  });
}
