import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Env } from '../src/platform/config.js';
import { goBuildCacheDir, goInstall, isExecutable, type Progress } from './go-install.js';

/** The server the CLI v1.5.1 embeds; its go.mod has no replace directive, so `go install` builds it. */
export const TEMPORAL_SERVER_VERSION = 'v1.29.1';
/** The Web UI server the same CLI embeds. */
export const UI_SERVER_VERSION = 'v2.42.1';

const SERVER_MODULE = 'go.temporal.io/server';

export interface TemporalServerBinaries {
  /** `temporal-server`: `server --root <dir> --config config --env <name> start --service <s>`. */
  server: string;
  /** `temporal-sql-tool`: creates, sets up and upgrades the persistence and visibility schemas. */
  sqlTool: string;
  /** The Web UI server (its binary is also named `server`, hence a folder of its own). */
  uiServer: string;
  /** The server module's source in the Go module cache: its PostgreSQL schemas and sample configs. */
  moduleDir: string;
}

export const serverCacheDir = (env: Env) => goBuildCacheDir(env, `server-${TEMPORAL_SERVER_VERSION}`);
export const uiServerCacheDir = (env: Env) => goBuildCacheDir(env, `ui-server-${UI_SERVER_VERSION}`);

const BUILDS = (env: Env) =>
  [
    {
      key: 'server',
      label: `the Temporal server ${TEMPORAL_SERVER_VERSION}`,
      goPackage: `${SERVER_MODULE}/cmd/server@${TEMPORAL_SERVER_VERSION}`,
      binary: 'server',
      targetDir: serverCacheDir(env),
    },
    {
      key: 'sqlTool',
      label: `temporal-sql-tool ${TEMPORAL_SERVER_VERSION}`,
      goPackage: `${SERVER_MODULE}/cmd/tools/sql@${TEMPORAL_SERVER_VERSION}`,
      binary: 'sql',
      targetDir: serverCacheDir(env),
    },
    {
      key: 'uiServer',
      label: `the Temporal Web UI server ${UI_SERVER_VERSION}`,
      goPackage: `github.com/temporalio/ui-server/v2/cmd/server@${UI_SERVER_VERSION}`,
      binary: 'server',
      targetDir: uiServerCacheDir(env),
    },
  ] as const;

function goOutput(args: string[], env: Env): string {
  const result = spawnSync('go', args, { env, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`go ${args.join(' ')} failed: ${result.stderr || result.error?.message}`);
  return result.stdout.trim();
}

/**
 * The module's source, where the build left it. A cache that was cleaned since the build is filled
 * again by `go mod download` (the schemas are not copied anywhere else, so they always match the binary).
 */
export function serverModuleDir(env: Env, progress: Progress): string {
  const dir = join(goOutput(['env', 'GOMODCACHE'], env), `${SERVER_MODULE}@${TEMPORAL_SERVER_VERSION}`);
  if (existsSync(join(dir, 'schema'))) return dir;
  progress(`The Go module cache has no ${SERVER_MODULE}@${TEMPORAL_SERVER_VERSION}: downloading its source for the schemas`);
  const downloaded = JSON.parse(goOutput(['mod', 'download', '-json', `${SERVER_MODULE}@${TEMPORAL_SERVER_VERSION}`], env)) as { Dir: string };
  return downloaded.Dir;
}

/** Finds the three binaries in the per-user cache, building the missing ones once with Go (about 2.5 minutes for the server). */
export async function ensureTemporalServerBinaries(env: Env, progress: Progress = (line) => console.error(line)): Promise<TemporalServerBinaries> {
  const found: Partial<Record<'server' | 'sqlTool' | 'uiServer', string>> = {};
  for (const build of BUILDS(env)) {
    const cached = join(build.targetDir, build.binary);
    found[build.key] = isExecutable(cached) ? cached : await goInstall(build, env, progress);
  }
  return { server: found.server!, sqlTool: found.sqlTool!, uiServer: found.uiServer!, moduleDir: serverModuleDir(env, progress) };
}
