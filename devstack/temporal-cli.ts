import { spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, mkdirSync, renameSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import type { Env } from '../src/platform/config.js';

/** The newest CLI tag whose go.mod has no replace directive, so `go install` can build it. */
export const TEMPORAL_CLI_VERSION = 'v1.5.1';
const GO_PACKAGE = `github.com/temporalio/cli/cmd/temporal@${TEMPORAL_CLI_VERSION}`;

type Progress = (line: string) => void;

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(name: string, env: Env): string | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir && isExecutable(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

/** A per-user cache, so that a fresh clone reuses the binary an earlier clone built. */
export function temporalCliCacheDir(env: Env): string {
  const base = env.XDG_CACHE_HOME || join(env.HOME || homedir(), '.cache');
  return join(base, 'temporal-order-saga', `temporal-cli-${TEMPORAL_CLI_VERSION}`);
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

function run(cmd: string, args: string[], env: Env, progress: Progress): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: env, stdio: ['ignore', 'pipe', 'pipe'] });
    const relay = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) progress(line.trim());
    };
    child.stdout.on('data', relay);
    child.stderr.on('data', relay);
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(' ')} exited with code ${code}`))));
  });
}

async function buildWithGo(cacheDir: string, env: Env, progress: Progress): Promise<string> {
  const goAvailable = spawnSync('go', ['version'], { env: env }).status === 0;
  if (!goAvailable) throw new Error('Go is not installed, so the Temporal CLI cannot be built');
  const staging = join(cacheDir, 'staging');
  mkdirSync(staging, { recursive: true });
  progress(`Building the Temporal CLI ${TEMPORAL_CLI_VERSION} with Go (first run only; this takes a few minutes)...`);
  const started = Date.now();
  const ticker = setInterval(() => progress(`...still building the Temporal CLI (${Math.round((Date.now() - started) / 1000)}s)`), 15_000);
  try {
    await run('go', ['install', GO_PACKAGE], { ...env, GOBIN: staging, CGO_ENABLED: '0' }, progress);
  } finally {
    clearInterval(ticker);
  }
  // Move into place only once complete, so an interrupted build never leaves a half binary behind.
  const target = join(cacheDir, 'temporal');
  renameSync(join(staging, 'temporal'), target);
  progress(`Built the Temporal CLI in ${Math.round((Date.now() - started) / 1000)}s: ${target}`);
  return target;
}

async function download(cacheDir: string, env: Env, progress: Progress): Promise<string> {
  const url = 'https://temporal.download/cli/archive/latest?platform=linux&arch=amd64';
  progress(`Trying the official Temporal CLI download as a last resort: ${url}`);
  mkdirSync(cacheDir, { recursive: true });
  try {
    await run('sh', ['-c', `curl -fsSL "${url}" | tar -xz -C "${cacheDir}" temporal`], env, progress);
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
