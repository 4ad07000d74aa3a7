import { join } from 'node:path';
import { WORKER_MEMORY_DEFAULTS, type Env } from '../src/platform/config.js';
import { spawnManaged } from './child-process.js';
import { REPO_ROOT } from './repo-root.js';

/**
 * The stack's worker runs with a capped V8 heap (WORKER_MAX_HEAP_MB, or the default in
 * src/platform/config.ts). Uncapped, V8's limit here is about 4 GB, so the heap grows instead of
 * collecting: bench/README.md "Worker memory" has the measurements. A flag, not NODE_OPTIONS, so
 * that NODE_OPTIONS stays free for preloads (the benchmark's profiler and experiments).
 */
export function workerNodeArgs(env: Env): string[] {
  const heapMb = Number(env.WORKER_MAX_HEAP_MB ?? WORKER_MEMORY_DEFAULTS.maxHeapMb);
  if (!Number.isInteger(heapMb) || heapMb < 0)
    throw new Error(`WORKER_MAX_HEAP_MB must be a whole number of megabytes, or 0 for V8's own limit, not ${env.WORKER_MAX_HEAP_MB}`);
  return heapMb > 0 ? [`--max-old-space-size=${heapMb}`] : [];
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
