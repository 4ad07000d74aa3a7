import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { WORKER_MEMORY_DEFAULTS, type Env } from '../src/platform/config.js';
import { spawnManaged } from './child-process.js';
import { REPO_ROOT } from './repo-root.js';

/** A whole number of megabytes from the environment, or the default; 0 leaves V8's own size. */
function megabytes(env: Env, name: string, fallback: number): number {
  const value = Number(env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number of megabytes, or 0 for V8's own size, not ${env[name]}`);
  return value;
}

/**
 * The stack's worker runs with a capped V8 heap (WORKER_MAX_HEAP_MB) and a small young generation
 * (WORKER_MAX_SEMI_SPACE_MB), the defaults in src/platform/config.ts. Uncapped, V8's limit here is
 * about 4 GB, so the heap grows instead of collecting; the 16 MB default semi-space, in each of the
 * worker's two isolates, is touched in full under load. bench/README.md "Worker memory" has the
 * measurements. Flags, not NODE_OPTIONS, so that NODE_OPTIONS stays free for preloads (the
 * benchmark's profiler and experiments).
 */
export function workerNodeArgs(env: Env): string[] {
  const heapMb = megabytes(env, 'WORKER_MAX_HEAP_MB', WORKER_MEMORY_DEFAULTS.maxHeapMb);
  const semiSpaceMb = megabytes(env, 'WORKER_MAX_SEMI_SPACE_MB', WORKER_MEMORY_DEFAULTS.maxSemiSpaceMb);
  return [...(heapMb > 0 ? [`--max-old-space-size=${heapMb}`] : []), ...(semiSpaceMb > 0 ? [`--max-semi-space-size=${semiSpaceMb}`] : [])];
}

/**
 * Builds the workflow bundle in a process of its own (`npm run build:workflows`), for the worker's
 * WORKFLOW_BUNDLE_PATH. A worker that bundles at start keeps what webpack cost it, about 130 MB of
 * RSS for good; this way that memory goes with the bundler's process. Built with the tracing
 * interceptor when the services trace, as the worker checks.
 */
export async function buildStackWorkflowBundle(options: { dataDir: string; env: Env; onLine: (line: string) => void }): Promise<string> {
  const outFile = join(options.dataDir, 'workflow-bundle.js');
  const args = ['--import', 'tsx', 'scripts/bundle-workflows.ts', '--out', outFile, ...(options.env.OTEL_EXPORTER_OTLP_ENDPOINT ? ['--tracing'] : [])];
  // webpack's report is twenty lines of no interest unless the build fails.
  const output: string[] = [];
  const bundler = spawnManaged('bundle', process.execPath, args, { cwd: REPO_ROOT, env: options.env, onLine: (line) => output.push(line) });
  const code = await bundler.exited;
  if (code !== 0) {
    for (const line of output) options.onLine(line);
    throw new Error(`Building the workflow bundle failed (exit ${code}); its output is above`);
  }
  options.onLine(output.at(-1) ?? `Wrote ${outFile}`);
  return outFile;
}

/** Where the compiled worker goes: two folders deep, as src/worker is, so its file-relative paths (migrations, node_modules) hold. */
export const COMPILED_WORKER_DIR = join(REPO_ROOT, 'dist', 'worker');

/** How the stack's compiled worker files are named, for whoever finds the worker by its command line (the benchmark). */
export const COMPILED_WORKER_MARK = 'dist/worker/main-';

/**
 * `src/worker/main.ts` and our modules bundled by esbuild into one ES module (its packages stay in
 * node_modules), to run with plain node. Under tsx the worker carried tsx's loader thread and its
 * transformed sources, about 45 MB of its RSS (bench/README.md, "Worker memory"). The file must
 * sit in COMPILED_WORKER_DIR. It needs a prebuilt workflow bundle (WORKFLOW_BUNDLE_PATH): compiled,
 * the worker cannot find src/workflows to bundle them.
 */
export async function compileWorker(): Promise<Uint8Array> {
  const result = await build({
    entryPoints: [join(REPO_ROOT, 'src', 'worker', 'main.ts')],
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: join(COMPILED_WORKER_DIR, 'main.mjs'),
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.contents;
}

/**
 * The stack's worker runs compiled (compileWorker). Its file is named by its content and written by
 * rename, so stacks starting at once share one file and never read half of one.
 */
export async function buildStackWorkerEntry(): Promise<string> {
  const code = await compileWorker();
  const file = join(COMPILED_WORKER_DIR, `main-${createHash('sha256').update(code).digest('hex').slice(0, 16)}.mjs`);
  if (existsSync(file)) {
    const now = new Date();
    utimesSync(file, now, now);
  } else {
    mkdirSync(COMPILED_WORKER_DIR, { recursive: true });
    const partial = `${file}.${process.pid}.partial`;
    writeFileSync(partial, code);
    renameSync(partial, file);
  }
  pruneCompiledWorkers(COMPILED_WORKER_DIR, file);
  return file;
}

/** A compiled worker not used for this long is of a checkout long gone. */
const COMPILED_WORKER_KEPT_MS = 24 * 3600_000;

/**
 * Each change to the worker's code compiles to a file of its own; those not used for a day go (a
 * stack touches its file when it starts, and a running stack's restarts use it again). The image's
 * `main.mjs` (scripts/build-worker.ts) is not one of them.
 */
export function pruneCompiledWorkers(dir: string, current: string, now = Date.now()): string[] {
  const pruned: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (path === current || !/^main-[0-9a-f]{16}\.mjs(\.\d+\.partial)?$/.test(name)) continue;
    try {
      if (now - statSync(path).mtimeMs < COMPILED_WORKER_KEPT_MS) continue;
      rmSync(path, { force: true });
      pruned.push(name);
    } catch {
      // Another stack pruned it first.
    }
  }
  return pruned;
}
