import { join } from 'node:path';
import postgres from 'postgres';
import type { Env } from '../src/platform/config.js';
import { runWithProgress, type Progress } from './go-install.js';
import { PERSISTENCE_DATABASE, VISIBILITY_DATABASE, type ClusterDatabase } from './cluster-config.js';

const SCHEMAS = [
  { database: PERSISTENCE_DATABASE, versioned: join('schema', 'postgresql', 'v12', 'temporal', 'versioned') },
  { database: VISIBILITY_DATABASE, versioned: join('schema', 'postgresql', 'v12', 'visibility', 'versioned') },
] as const;

const adminUrl = ({ host, port, user, password }: ClusterDatabase, database: string) =>
  `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@${host}:${port}/${database}`;

/** Whether the database exists, and whether the sql tool has set it up (its `schema_version` table). */
async function schemaState(db: ClusterDatabase, database: string): Promise<'absent' | 'empty' | 'set-up'> {
  const sql = postgres(adminUrl(db, 'postgres'), { max: 1, onnotice: () => {} });
  try {
    const [exists] = await sql`select 1 from pg_database where datname = ${database}`;
    if (!exists) return 'absent';
  } finally {
    await sql.end();
  }
  const inside = postgres(adminUrl(db, database), { max: 1, onnotice: () => {} });
  try {
    const [table] = await inside`select 1 from information_schema.tables where table_name = 'schema_version'`;
    return table ? 'set-up' : 'empty';
  } finally {
    await inside.end();
  }
}

/**
 * Temporal's persistence and visibility databases, made by temporal-sql-tool as the server's docs
 * do it: create-database and `setup-schema -v 0.0` on the first start only (setup-schema on a
 * database in use would reset its version), then `update-schema` on every start, which is the
 * upgrade path and does nothing on a database that is up to date.
 */
export async function setUpTemporalSchemas(options: { sqlTool: string; moduleDir: string; database: ClusterDatabase; env: Env; progress: Progress }): Promise<void> {
  const { host, port, user, password } = options.database;
  const env: Env = { ...options.env, SQL_PLUGIN: 'postgres12', SQL_HOST: host, SQL_PORT: String(port), SQL_USER: user, SQL_PASSWORD: password };
  for (const { database, versioned } of SCHEMAS) {
    // The tool logs every statement it runs: noise on a terminal, kept for the error when it fails.
    const lines: string[] = [];
    const tool = async (...args: string[]) => {
      try {
        await runWithProgress(options.sqlTool, ['--db', database, ...args], env, (line) => lines.push(line));
      } catch (error) {
        throw new Error(`${(error as Error).message}\n${lines.slice(-5).join('\n')}`);
      }
    };
    const state = await schemaState(options.database, database);
    if (state === 'absent') await tool('create-database');
    if (state !== 'set-up') {
      options.progress(`Setting up Temporal's ${database} database (first start only)`);
      await tool('setup-schema', '-v', '0.0');
    }
    await tool('update-schema', '-d', join(options.moduleDir, versioned));
    options.progress(`Temporal's ${database} database: schema up to date`);
  }
}
