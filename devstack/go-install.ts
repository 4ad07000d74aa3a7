import { spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, mkdirSync, renameSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Env } from '../src/platform/config.js';

export type Progress = (line: string) => void;

export function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** A per-user cache, so that a fresh clone reuses the binaries an earlier clone built: `~/.cache/temporal-order-saga/<name>`. */
export function goBuildCacheDir(env: Env, name: string): string {
  const base = env.XDG_CACHE_HOME || join(env.HOME || homedir(), '.cache');
  return join(base, 'temporal-order-saga', name);
}

/** Runs a command, relaying every line it prints to `progress`; rejects on a non-zero exit. */
export function runWithProgress(cmd: string, args: string[], env: Env, progress: Progress): Promise<void> {
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

export function goAvailable(env: Env): boolean {
  return spawnSync('go', ['version'], { env: env }).status === 0;
}

export interface GoInstall {
  /** What the progress lines call it: "the Temporal CLI v1.5.1". */
  label: string;
  /** `module/path/cmd/x@version`. */
  goPackage: string;
  /** The binary's name as `go install` writes it. */
  binary: string;
  /** Where it lands: `<targetDir>/<binary>`. */
  targetDir: string;
}

/**
 * `go install` into a staging folder of the cache, then a rename into place, so an interrupted
 * build never leaves a half binary where the next start would take it for a whole one. Each build
 * has its own staging folder: the server and the UI server both build a binary named `server`.
 */
export async function goInstall({ label, goPackage, binary, targetDir }: GoInstall, env: Env, progress: Progress): Promise<string> {
  if (!goAvailable(env)) throw new Error(`Go is not installed, so ${label} cannot be built`);
  const staging = join(targetDir, 'staging');
  mkdirSync(staging, { recursive: true });
  progress(`Building ${label} with Go (first run only; this takes a few minutes)...`);
  const started = Date.now();
  const ticker = setInterval(() => progress(`...still building ${label} (${Math.round((Date.now() - started) / 1000)}s)`), 15_000);
  try {
    await runWithProgress('go', ['install', goPackage], { ...env, GOBIN: staging, CGO_ENABLED: '0' }, progress);
  } finally {
    clearInterval(ticker);
  }
  const target = join(targetDir, binary);
  renameSync(join(staging, binary), target);
  progress(`Built ${label} in ${Math.round((Date.now() - started) / 1000)}s: ${target}`);
  return target;
}
