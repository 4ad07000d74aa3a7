import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { bundleWorkflowCode } from '@temporalio/worker';
import type { TestProject } from 'vitest/node';
import { WORKFLOW_INTERCEPTOR_MODULES, WORKFLOWS_PATH } from '../src/worker/order-worker.js';
import { startEmbeddedPostgres, type RunningPostgres } from '../devstack/embedded-postgres.js';
import { freePort } from '../devstack/free-port.js';
import { ensureTemporalCli } from '../devstack/temporal-cli.js';
import { startTemporalDevServer, type DevServer } from '../devstack/temporal-dev-server.js';
import { ORDER_SEARCH_ATTRIBUTE_TYPES } from '../src/workflows/search-attributes.js';
import { codecRouter } from '../src/api/codec/index.js';
import { serveOnFreePort, type ServedApp } from './support/http.js';
import { testCodecServer } from './support/payload-codec.js';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
    temporalUiUrl: string;
    /** The codec server the run's Web UI decodes payloads with (needs the test codec token). */
    temporalUiCodecEndpoint: string;
    temporalCliPath: string;
    postgresAdminUrl: string;
    workflowBundlePath: string;
  }
}

const quietBundlerLogger = { log() {}, trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error };

/** One Temporal dev server and one PostgreSQL per test run; each test file makes its own database and task queue. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const workDir = mkdtempSync(join(tmpdir(), 'order-saga-test-'));
  // PostgreSQL runs as the `postgres` user when we are root, so it must be able to enter this folder.
  chmodSync(workDir, 0o755);
  let postgres: RunningPostgres | undefined;
  let temporal: DevServer | undefined;
  let uiCodec: ServedApp | undefined;
  const teardown = async () => {
    await Promise.allSettled([temporal?.stop(), postgres?.stop(), uiCodec?.close()]);
    rmSync(workDir, { recursive: true, force: true });
  };
  try {
    const binary = await ensureTemporalCli(process.env);
    const [temporalPort, uiPort, postgresPort] = [await freePort(), await freePort(), await freePort()];
    // The Web UI decodes payloads through a codec server fixed at its start: the suite's key, behind the test token.
    uiCodec = await serveOnFreePort(codecRouter(testCodecServer([`http://127.0.0.1:${uiPort}`])).fetch);
    const uiCodecEndpoint = uiCodec.baseUrl;
    const starting = [
      startTemporalDevServer({ binary, port: temporalPort, uiPort, uiCodecEndpoint, searchAttributes: ORDER_SEARCH_ATTRIBUTE_TYPES, logLevel: 'error' }).then(
        (server) => (temporal = server),
      ),
      startEmbeddedPostgres({ dataDir: join(workDir, 'postgres'), port: postgresPort }).then((server) => (postgres = server)),
    ];
    const results = await Promise.allSettled(starting);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    if (!temporal || !postgres) throw new Error('unreachable: both servers started');
    project.provide('temporalAddress', temporal.address);
    project.provide('temporalUiUrl', temporal.uiUrl ?? '');
    project.provide('temporalUiCodecEndpoint', uiCodecEndpoint);
    project.provide('temporalCliPath', binary);
    project.provide('postgresAdminUrl', postgres.url('postgres'));
    // Bundling takes a second or two: once per run, shared by every test worker.
    const bundle = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, workflowInterceptorModules: WORKFLOW_INTERCEPTOR_MODULES, logger: quietBundlerLogger });
    const bundlePath = join(workDir, 'workflow-bundle.js');
    writeFileSync(bundlePath, bundle.code);
    project.provide('workflowBundlePath', bundlePath);
  } catch (error) {
    await teardown();
    throw error;
  }
  return teardown;
}
