import { bundleWorkflowCode } from '@temporalio/worker';
import { WORKFLOW_INTERCEPTOR_MODULES, WORKFLOWS_PATH } from '../../src/worker/order-worker.js';
import type { Build } from './rollout-stack.js';
import { WORKFLOWS_V2_PATH } from './workflow-v2.js';

const quietBundler = { log() {}, trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error };

/** A build: the workflow code bundled once, as a deploy ships it, with the interceptors every bundle carries. */
export async function bundleBuild(buildId: string, workflowsPath: string): Promise<Build> {
  const { code } = await bundleWorkflowCode({ workflowsPath, workflowInterceptorModules: WORKFLOW_INTERCEPTOR_MODULES, logger: quietBundler });
  return { buildId, bundle: { code } };
}

/** v1 is src/workflows as it is today; v2 is it with the change of workflow-v2.ts. */
export const BUILD_SOURCES = { v1: WORKFLOWS_PATH, v2: WORKFLOWS_V2_PATH } as const;
