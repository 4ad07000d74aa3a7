import { describe, expect, it } from 'vitest';
import { loadWorkerConfig } from '../platform/config.js';
import { workerDeploymentOptions } from './worker-deployment.js';

// The worker refuses to start without its gateway secret; nothing else is needed for these checks.
const BASE = { PAYMENT_GATEWAY_SECRET: 'worker-deployment-test-secret' };
const deploymentFor = (env: Record<string, string>) => workerDeploymentOptions(loadWorkerConfig({ ...BASE, ...env }));

describe("the worker's Worker Deployment version, from its configuration", () => {
  it('is unversioned by default, so the dev stack and the tests need no set-current-version step', () => {
    expect(deploymentFor({})).toBeUndefined();
    expect(deploymentFor({ WORKER_BUILD_ID: 'abc123' })).toBeUndefined();
  });

  it('with WORKER_VERSIONING=on, runs build WORKER_BUILD_ID of deployment `orders`, its workflows pinned to it', () => {
    expect(deploymentFor({ WORKER_VERSIONING: 'on', WORKER_BUILD_ID: '2026-12-01.abc123' })).toEqual({
      version: { deploymentName: 'orders', buildId: '2026-12-01.abc123' },
      useWorkerVersioning: true,
      defaultVersioningBehavior: 'PINNED',
    });
    expect(deploymentFor({ WORKER_VERSIONING: 'on', WORKER_BUILD_ID: 'b2', WORKER_DEPLOYMENT_NAME: 'orders-eu' })?.version).toEqual({
      deploymentName: 'orders-eu',
      buildId: 'b2',
    });
  });

  it('refuses versioning without a build ID, and names that contain the separator `:`', () => {
    expect(() => deploymentFor({ WORKER_VERSIONING: 'on' })).toThrow(/WORKER_BUILD_ID: is required when WORKER_VERSIONING=on/);
    expect(() => deploymentFor({ WORKER_VERSIONING: 'on', WORKER_BUILD_ID: 'orders:v2' })).toThrow(/WORKER_BUILD_ID/);
    expect(() => deploymentFor({ WORKER_VERSIONING: 'on', WORKER_BUILD_ID: 'v2', WORKER_DEPLOYMENT_NAME: 'a:b' })).toThrow(/WORKER_DEPLOYMENT_NAME/);
    expect(() => deploymentFor({ WORKER_VERSIONING: 'yes', WORKER_BUILD_ID: 'v2' })).toThrow(/WORKER_VERSIONING/);
  });
});
