import { execFile, execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { accessSync, constants, existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import postgres from 'postgres';
import { describe, expect, inject, it } from 'vitest';
import { repoPath } from './support/compose.js';

const run = promisify(execFile);

/** The tool and schemas `npm run cluster` builds: temporal-sql-tool from go.temporal.io/server v1.29.1, and that module's schema/ folder. */
function sqlToolAndSchemas(): { sqlTool: string; schemaDir: string } | undefined {
  const sqlTool = join(process.env.XDG_CACHE_HOME || join(process.env.HOME || homedir(), '.cache'), 'temporal-order-saga', 'server-v1.29.1', 'sql');
  try {
    accessSync(sqlTool, constants.X_OK);
    const modules = execFileSync('go', ['env', 'GOMODCACHE'], { encoding: 'utf8' }).trim();
    const schemaDir = join(modules, 'go.temporal.io', 'server@v1.29.1', 'schema');
    return existsSync(schemaDir) ? { sqlTool, schemaDir } : undefined;
  } catch {
    return undefined;
  }
}

const newestVersion = (dir: string) =>
  readdirSync(dir)
    .map((name) => name.replace(/^v/, ''))
    .sort((a, b) => a.localeCompare(b, undefined, { numeric: true }))
    .at(-1);

/** The scripts docker-compose's admin-tools jobs run, run here with the same tools against real servers. */
describe('the Temporal setup scripts of deploy/temporal', () => {
  const tools = sqlToolAndSchemas();

  it.skipIf(!tools)(
    'setup-schema.sh creates both databases and brings them to the newest schema, and changes nothing when run again (needs npm run cluster’s build)',
    async () => {
      const { sqlTool, schemaDir } = tools!;
      const admin = new URL(inject('postgresAdminUrl'));
      const suffix = randomUUID().slice(0, 8);
      const databases = { persistence: `temporal_${suffix}`, visibility: `temporal_visibility_${suffix}` };
      const env = {
        PATH: process.env.PATH,
        TEMPORAL_SQL_TOOL: sqlTool,
        TEMPORAL_SCHEMA_DIR: schemaDir,
        TEMPORAL_DATABASE: databases.persistence,
        TEMPORAL_VISIBILITY_DATABASE: databases.visibility,
        SQL_HOST: admin.hostname,
        SQL_PORT: admin.port,
        SQL_USER: decodeURIComponent(admin.username),
        SQL_PASSWORD: decodeURIComponent(admin.password),
      };
      const script = repoPath('deploy/temporal/setup-schema.sh');
      const schemaVersion = async (database: string) => {
        const url = new URL(admin.href);
        url.pathname = `/${database}`;
        const sql = postgres(url.href, { max: 1 });
        try {
          const [row] = await sql<{ curr_version: string }[]>`select curr_version from schema_version`;
          return row?.curr_version;
        } finally {
          await sql.end();
        }
      };
      const cleanUp = async () => {
        const sql = postgres(admin.href, { max: 1 });
        for (const database of Object.values(databases)) await sql.unsafe(`drop database if exists "${database}"`);
        await sql.end();
      };
      try {
        const first = await run('sh', [script], { env });
        expect(first.stdout).toContain(`Database ${databases.persistence} is there`);
        expect(first.stdout).toContain(`Schema of ${databases.visibility} is up to date`);
        const expected = {
          persistence: newestVersion(join(schemaDir, 'postgresql/v12/temporal/versioned')),
          visibility: newestVersion(join(schemaDir, 'postgresql/v12/visibility/versioned')),
        };
        expect({ persistence: await schemaVersion(databases.persistence), visibility: await schemaVersion(databases.visibility) }).toEqual(expected);

        const second = await run('sh', [script], { env });
        expect(second.stdout).toContain(`Schema of ${databases.visibility} is up to date`);
        expect({ persistence: await schemaVersion(databases.persistence), visibility: await schemaVersion(databases.visibility) }).toEqual(expected);
      } finally {
        await cleanUp();
      }
    },
  );

  it('create-namespace.sh then create-search-attributes.sh, as the compose job chains them: a usable namespace with the order attributes, twice without change', async () => {
    const namespace = `orders-${randomUUID().slice(0, 8)}`;
    const cli = inject('temporalCliPath');
    const env = { PATH: process.env.PATH, HOME: process.env.HOME, TEMPORAL_CLI: cli, TEMPORAL_ADDRESS: inject('temporalAddress'), TEMPORAL_NAMESPACE: namespace };
    const chain = `${repoPath('deploy/temporal/create-namespace.sh')} && ${repoPath('deploy/temporal/create-search-attributes.sh')}`;
    const first = await run('sh', ['-c', chain], { env });
    expect(first.stdout).toContain(`Created namespace ${namespace}`);
    expect(first.stdout).toContain(`Created search attribute OrderStatus (Keyword) in namespace ${namespace}`);
    const second = await run('sh', ['-c', chain], { env });
    expect(second.stdout.trim().split('\n')).toEqual([
      `Namespace ${namespace} exists`,
      `Search attribute OrderStatus exists in namespace ${namespace}`,
      `Search attribute CustomerId exists in namespace ${namespace}`,
      `Search attribute OrderTotal exists in namespace ${namespace}`,
    ]);
    const { stdout } = await run(cli, ['operator', 'namespace', 'describe', '--namespace', namespace, '--address', inject('temporalAddress'), '--output', 'json']);
    expect(JSON.parse(stdout)).toMatchObject({ namespaceInfo: { name: namespace } });
  });
});
