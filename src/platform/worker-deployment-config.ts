import { z } from 'zod';

/** The Worker Deployment the order workers belong to unless WORKER_DEPLOYMENT_NAME names another. */
export const WORKER_DEPLOYMENT_NAME_DEFAULT = 'orders';

/**
 * Worker Deployment Versioning, read by the worker's entry point. Off by default: a versioned
 * worker receives no new workflows until an operator makes its version current (`temporal worker
 * deployment set-current-version`), and `npm start`, `npm run worker` and the tests run with no
 * such step. Production turns it on with a build ID per deploy (docs/changing-the-workflow.md).
 */
export const workerDeploymentSchema = {
  WORKER_VERSIONING: z.enum(['on', 'off']).default('off'),
  /** Letters, digits and `._-`: Temporal keeps `:` as the separator of `deployment:build`. */
  WORKER_DEPLOYMENT_NAME: z
    .string()
    .regex(/^[\w.-]+$/, 'letters, digits, `.`, `_` and `-` only')
    .default(WORKER_DEPLOYMENT_NAME_DEFAULT),
  /** One per build of the workflow code, such as the commit: the same code must never get two. */
  WORKER_BUILD_ID: z
    .string()
    .regex(/^[\w.-]+$/, 'letters, digits, `.`, `_` and `-` only')
    .optional(),
};

type WorkerDeploymentConfig = { WORKER_VERSIONING: 'on' | 'off'; WORKER_BUILD_ID?: string | undefined };

/** A versioned worker without a build ID is a mistake to refuse at start, not a version named `undefined`. */
export function checkWorkerDeployment(config: WorkerDeploymentConfig, ctx: z.RefinementCtx): void {
  if (config.WORKER_VERSIONING === 'on' && !config.WORKER_BUILD_ID) {
    ctx.addIssue({ code: 'custom', path: ['WORKER_BUILD_ID'], message: 'is required when WORKER_VERSIONING=on' });
  }
}
