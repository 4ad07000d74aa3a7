import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { OrderSummary } from '../../src/api/orders/index.js';
import { spawnManaged, type ManagedProcess } from '../../devstack/child-process.js';
import { freePort } from '../../devstack/free-port.js';
import { waitFor } from '../../devstack/wait-for.js';
import type { WorkflowBundleManifest } from '../../src/worker/workflow-bundle.js';
import { anOrderRequest, call, waitForOrderStatus } from '../support/api-client.js';
import { TEST_GATEWAY_SECRETS } from '../support/gateway-simulator.js';
import { startOrderStack, type OrderStack } from '../support/order-stack.js';
import { TEST_PAYLOAD_KEYS } from '../support/payload-codec.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const TSX = join(REPO, 'node_modules/.bin/tsx');
const CATALOGUE = [{ sku: 'KBD-001', name: 'Mechanical keyboard', unitPrice: 8900, currency: 'USD', stockAvailable: 10 }];
/** What the SDK's bundler logs each time it bundles; the build script's output shows it does. */
const BUNDLED = 'Workflow bundle created';

/**
 * The image's path: `npm run build:workflows` writes the bundle and scripts/build-worker.ts compiles
 * the worker at build time, and the compiled worker entry point (src/worker/main.ts, run by plain
 * node as a process of its own) runs orders from the bundle without bundling.
 */
describe('a compiled worker started with WORKFLOW_BUNDLE_PATH', () => {
  const dir = mkdtempSync(join(tmpdir(), 'workflow-bundle-'));
  const bundlePath = join(dir, 'workflow-bundle.js');
  let buildOutput = '';
  let compiledWorker = '';
  let stack: OrderStack;
  let worker: ManagedProcess;
  const workerLines: string[] = [];

  beforeAll(async () => {
    const built = await promisify(execFile)(TSX, ['scripts/bundle-workflows.ts', '--out', bundlePath], { cwd: REPO });
    buildOutput = built.stdout + built.stderr;
    const compiled = await promisify(execFile)(TSX, ['scripts/build-worker.ts'], { cwd: REPO });
    compiledWorker = /^Wrote (\S+)/.exec(compiled.stdout)?.[1] ?? '';
  });
  beforeAll(async () => {
    // The stack's in-process worker stays off: only the worker process below serves its task queue.
    stack = await startOrderStack({ catalogue: CATALOGUE, startWorker: false });
    worker = spawnManaged('worker', process.execPath, [compiledWorker], {
      cwd: REPO,
      env: {
        PATH: process.env.PATH,
        TEMPORAL_ADDRESS: inject('temporalAddress'),
        TEMPORAL_TASK_QUEUE: stack.taskQueue,
        DATABASE_URL: stack.database.url,
        PAYMENT_GATEWAY_URL: stack.gatewayUrl,
        PAYMENT_GATEWAY_SECRET: TEST_GATEWAY_SECRETS.signing,
        PAYLOAD_KEYS: TEST_PAYLOAD_KEYS,
        WORKFLOW_BUNDLE_PATH: bundlePath,
        METRICS_PORT: String(await freePort()),
        SDK_METRICS_PORT: String(await freePort()),
        LOG_LEVEL: 'info',
      },
      onLine: (line) => workerLines.push(line),
    });
    // Seconds alone, far longer on a loaded 2-core machine.
    await waitFor(
      'the worker process to poll',
      async () => {
        if (worker.child.exitCode !== null) throw new Error(`worker exited ${worker.child.exitCode}: ${workerLines.join('\n')}`);
        if (workerLines.some((line) => line.includes('Worker polling'))) return true;
        throw new Error(`not polling yet; its last lines: ${workerLines.slice(-3).join(' | ') || 'none'}`);
      },
      { timeoutMs: 90_000 },
    );
  });
  afterAll(async () => {
    await worker?.stop();
    await stack?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the build script writes the bundle and a manifest that says it has no tracing interceptor', () => {
    expect(buildOutput).toContain(BUNDLED);
    expect(existsSync(bundlePath)).toBe(true);
    const manifest = JSON.parse(readFileSync(join(dir, 'workflow-bundle.manifest.json'), 'utf8')) as WorkflowBundleManifest;
    expect(manifest).toMatchObject({ tracing: false, workflowInterceptorModules: [expect.stringMatching(/src\/workflows\/interceptors\.ts$/)] });
  });

  it('the compiled worker is one ES module in dist/worker that imports no TypeScript and needs no tsx', () => {
    expect(compiledWorker).toBe(join(REPO, 'dist/worker/main.mjs'));
    const code = readFileSync(compiledWorker, 'utf8');
    expect(code).not.toMatch(/from ["'][^"']+\.ts["']/);
    expect(worker.child.spawnargs.join(' ')).not.toMatch(/tsx/);
  });

  it('runs an order to COMPLETED, having loaded the prebuilt bundle and bundled nothing', async () => {
    const accepted = await call<OrderSummary>(stack.apiUrl, 'POST', '/orders', anOrderRequest());
    expect(accepted.status).toBe(202);
    expect(await waitForOrderStatus(stack.apiUrl, accepted.body.id, ['COMPLETED'], 45_000)).toMatchObject({ status: 'COMPLETED' });
    const polling = workerLines
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .find((entry) => entry.msg === 'Worker polling');
    expect(polling).toMatchObject({ workflowBundle: bundlePath, taskQueues: { orders: stack.taskQueue } });
    expect(workerLines.filter((line) => line.includes(BUNDLED))).toEqual([]);
  });
});
