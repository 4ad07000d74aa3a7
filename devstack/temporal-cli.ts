import { mkdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { Env } from '../src/platform/config.js';
import { goBuildCacheDir, goInstall, isExecutable, runWithProgress, type Progress } from './go-install.js';

/** The newest CLI tag whose go.mod has no replace directive, so `go install` can build it. */
export const TEMPORAL_CLI_VERSION = 'v1.5.1';
const GO_PACKAGE = `github.com/temporalio/cli/cmd/temporal@${TEMPORAL_CLI_VERSION}`;

function onPath(name: string, env: Env): string | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir && isExecutable(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

/** A per-user cache, so that a fresh clone reuses the binary an earlier clone built. */
export function temporalCliCacheDir(env: Env): string {
  return goBuildCacheDir(env, `temporal-cli-${TEMPORAL_CLI_VERSION}`);
}

/**
 * Finds the `temporal` binary without building or downloading anything.
 * Order: $TEMPORAL_CLI_PATH, `temporal` on PATH, the per-user cache.
 */
export function findTemporalCli(env: Env): string | undefined {
  if (env.TEMPORAL_CLI_PATH) {
    if (!isExecutable(env.TEMPORAL_CLI_PATH)) {
      throw new Error(`TEMPORAL_CLI_PATH=${env.TEMPORAL_CLI_PATH} is not an executable file`);
    }
    return env.TEMPORAL_CLI_PATH;
  }
  const fromPath = onPath('temporal', env);
  if (fromPath) return fromPath;
  const cached = join(temporalCliCacheDir(env), 'temporal');
  return isExecutable(cached) ? cached : undefined;
}

function buildWithGo(cacheDir: string, env: Env, progress: Progress): Promise<string> {
  return goInstall({ label: `the Temporal CLI ${TEMPORAL_CLI_VERSION}`, goPackage: GO_PACKAGE, binary: 'temporal', targetDir: cacheDir }, env, progress);
}

async function download(cacheDir: string, env: Env, progress: Progress): Promise<string> {
  const url = 'https://temporal.download/cli/archive/latest?platform=linux&arch=amd64';
  progress(`Trying the official Temporal CLI download as a last resort: ${url}`);
  mkdirSync(cacheDir, { recursive: true });
  try {
    await runWithProgress('sh', ['-c', `curl -fsSL "${url}" | tar -xz -C "${cacheDir}" temporal`], env, progress);
  } catch (error) {
    throw new Error(
      'Could not get the Temporal CLI: building it with Go failed and the download failed too. ' +
        'Install Go (https://go.dev/dl) or set TEMPORAL_CLI_PATH to a temporal binary. ' +
        `Download error: ${(error as Error).message}`,
    );
  }
  return join(cacheDir, 'temporal');
}

/** Finds the CLI, or builds it once with Go into the per-user cache, or, failing that, downloads it. */
export async function ensureTemporalCli(env: Env, progress: Progress = (line) => console.error(line)): Promise<string> {
  const found = findTemporalCli(env);
  if (found) return found;
  const cacheDir = temporalCliCacheDir(env);
  mkdirSync(cacheDir, { recursive: true });
  try {
    return await buildWithGo(cacheDir, env, progress);
  } catch (error) {
    progress(`Building the Temporal CLI failed: ${(error as Error).message}`);
    return download(cacheDir, env, progress);
  }
}
