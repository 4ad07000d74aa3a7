import type { WorkerDeploymentOptions } from '@temporalio/worker';
import type { WorkerConfig } from '../platform/config.js';

/**
 * The worker's place in its Worker Deployment, or none when versioning is off.
 *
 * Orders are PINNED: each finishes on the build that started it, so a new build needs no
 * `patched()` for orders already in flight, and its old workers drain rather than replay.
 * The behaviour is the worker's default, not `setWorkflowOptions` in the workflow: the server
 * refuses a workflow task that names a behaviour from an unversioned worker, and the same
 * workflow code must run with versioning off (dev stack, tests) and on.
 */
export function workerDeploymentOptions(
  config: Pick<WorkerConfig, 'WORKER_VERSIONING' | 'WORKER_DEPLOYMENT_NAME' | 'WORKER_BUILD_ID'>,
): WorkerDeploymentOptions | undefined {
  if (config.WORKER_VERSIONING !== 'on' || !config.WORKER_BUILD_ID) return undefined;
  return pinnedDeployment({ deploymentName: config.WORKER_DEPLOYMENT_NAME, buildId: config.WORKER_BUILD_ID });
}

/** A versioned worker of one build whose workflows stay on it. */
export const pinnedDeployment = (version: { deploymentName: string; buildId: string }): WorkerDeploymentOptions => ({
  version,
  useWorkerVersioning: true,
  defaultVersioningBehavior: 'PINNED',
});
