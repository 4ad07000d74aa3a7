import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { bundleWorkflowCode, type WorkerOptions } from '@temporalio/worker';
import { WORKFLOW_INTERCEPTOR_MODULES, WORKFLOWS_PATH } from './order-worker.js';

/**
 * A prebuilt workflow bundle (`npm run build:workflows`, run at image build) spares every worker
 * the second or two of bundling at start, and makes what runs the same bytes the image was built
 * with. The SDK ignores `interceptors.workflowModules` for a prebuilt bundle, so the bundle must
 * carry them itself: the manifest beside it says whether it carries the tracing interceptor, and
 * the worker refuses a bundle that does not match its tracing setting rather than silently
 * dropping workflow spans (or logging an unregistered-sink error for every span).
 */
export interface WorkflowBundleManifest {
  /** True when the OpenTelemetry workflow interceptor module is bundled. */
  tracing: boolean;
  /** The interceptor modules bundled (paths on the machine that built it): for people reading the file. */
  workflowInterceptorModules: string[];
  builtAt: string;
}

export const manifestPathFor = (bundlePath: string) => `${bundlePath.replace(/\.js$/, '')}.manifest.json`;

export interface BuildWorkflowBundleOptions {
  outFile: string;
  /** The OpenTelemetry workflow interceptor module, when the bundle is for workers with tracing on. */
  tracingModule?: string;
  logger?: Parameters<typeof bundleWorkflowCode>[0]['logger'];
}

/** Bundles src/workflows with its interceptor modules and writes the code and its manifest. */
export async function buildWorkflowBundle({ outFile, tracingModule, logger }: BuildWorkflowBundleOptions): Promise<WorkflowBundleManifest> {
  const workflowInterceptorModules = [...WORKFLOW_INTERCEPTOR_MODULES, ...(tracingModule ? [tracingModule] : [])];
  const { code } = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, workflowInterceptorModules, logger });
  const manifest: WorkflowBundleManifest = { tracing: tracingModule !== undefined, workflowInterceptorModules, builtAt: new Date().toISOString() };
  await mkdir(dirname(outFile), { recursive: true });
  await writeFile(outFile, code);
  await writeFile(manifestPathFor(outFile), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

/** The worker's `workflowBundle` for WORKFLOW_BUNDLE_PATH, after checking the bundle fits the worker's tracing. */
export function prebuiltWorkflowBundle(bundlePath: string, { tracing }: { tracing: boolean }): NonNullable<WorkerOptions['workflowBundle']> {
  const manifestPath = manifestPathFor(bundlePath);
  if (!existsSync(bundlePath) || !existsSync(manifestPath)) {
    throw new Error(`WORKFLOW_BUNDLE_PATH=${bundlePath}: no bundle and manifest there; build them with \`npm run build:workflows -- --out ${bundlePath}\``);
  }
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as WorkflowBundleManifest;
  if (manifest.tracing !== tracing) {
    throw new Error(
      `WORKFLOW_BUNDLE_PATH=${bundlePath} was built ${manifest.tracing ? 'with' : 'without'} the tracing interceptor, but tracing is ${tracing ? 'on' : 'off'} ` +
        `(OTEL_EXPORTER_OTLP_ENDPOINT): use the bundle built ${tracing ? 'with `--tracing`' : 'without `--tracing`'}`,
    );
  }
  return { codePath: bundlePath };
}
