import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode } from '@temporalio/worker';
import { WORKFLOW_INTERCEPTOR_MODULES, WORKFLOWS_PATH } from '../../src/worker/order-worker.js';

const PRELOAD = fileURLToPath(new URL('./worker-overrides.mjs', import.meta.url));

const quietBundlerLogger = { log() {}, trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error };

/**
 * The environment that makes the stack's worker run with other options (see worker-overrides.mjs):
 * extra WorkerOptions as JSON, and/or the workflow bundle built here, once, instead of at its start.
 */
export async function workerExperimentEnv(options: {
  workerOptions?: string;
  prebuiltBundle: boolean;
  scratchDir: string;
  env: Record<string, string>;
}): Promise<Record<string, string>> {
  if (!options.workerOptions && !options.prebuiltBundle) return {};
  const env: Record<string, string> = {
    NODE_OPTIONS: [options.env.NODE_OPTIONS ?? process.env.NODE_OPTIONS, `--import=${PRELOAD}`].filter(Boolean).join(' '),
  };
  if (options.workerOptions) {
    JSON.parse(options.workerOptions); // fail here, not in the worker
    env.BENCH_WORKER_OPTIONS = options.workerOptions;
  }
  if (options.prebuiltBundle) {
    const bundle = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, workflowInterceptorModules: WORKFLOW_INTERCEPTOR_MODULES, logger: quietBundlerLogger });
    const path = join(options.scratchDir, 'order-workflows.bundle.js');
    writeFileSync(path, bundle.code);
    env.BENCH_WORKFLOW_BUNDLE = path;
  }
  return env;
}
