import { join, resolve } from 'node:path';
import { spawnManaged, type ManagedProcess } from './child-process.js';
import type { Env } from '../src/platform/config.js';
import { DEFAULT_CLUSTER_PORTS, type ClusterPorts } from './cluster-ports.js';
import { startTemporalCluster, type TemporalCluster } from './cluster-temporal.js';
import { devPayloadSecrets } from './dev-payload-keys.js';
import { ensureDevSecrets, type DevSecrets } from './dev-secrets.js';
import type { DevStackUrls, ProcessExit } from './dev-stack.js';
import { postgresUrl } from './embedded-postgres.js';
import { prefixedLines, type LineSink } from './foreground.js';
import { REPO_ROOT } from './repo-root.js';
import { startRoundRobinProxy, type RoundRobinProxy } from './round-robin-proxy.js';
import { ORDERS_DATABASE, startStackPostgres, type StackPostgres } from './stack-servers.js';
import { ensureTemporalCli } from './temporal-cli.js';
import { ensureTemporalServerBinaries } from './temporal-server-build.js';
import { waitFor } from './wait-for.js';

export const DEFAULT_CLUSTER_DATA_DIR = '.data/cluster';

export interface ClusterStackOptions {
  env: Env;
  /** PostgreSQL's data (embedded), the configs, the dev secrets; relative to the repository root. */
  dataDir?: string;
  ports?: Partial<ClusterPorts>;
  /** An external PostgreSQL: the app's database is its path; `temporal` and `temporal_visibility` are made beside it. */
  databaseUrl?: string;
  onLine?: LineSink;
  progress?: (message: string) => void;
  readyTimeoutMs?: number;
  signal?: AbortSignal;
}

export interface ClusterStack {
  /** As `npm start`'s: `api` is the proxy in front of both APIs; `metrics`, `sdkMetrics`, `apiMetrics` the first replica's. */
  urls: DevStackUrls & { apis: string[]; workerMetrics: string[]; sdkMetricsAll: string[]; apiMetricsAll: string[] };
  secrets: DevSecrets;
  dataDir: string;
  embeddedPostgresDir?: string;
  payloadsEncrypted: boolean;
  payloadKeys?: string;
  temporal: TemporalCluster;
  proxy: RoundRobinProxy;
  /** The app's processes by name: `payments`, `worker-1`, `worker-2`, `api-1`, `api-2`. */
  services: Map<string, ManagedProcess>;
  /** Starts an app process again under its name (after a test killed it); resolves once it answers. */
  restartService(name: string): Promise<void>;
  crashed: Promise<ProcessExit>;
  stop(): Promise<void>;
}

const SERVICE_STOP_GRACE_MS = 20_000;

async function answers200(url: string): Promise<true> {
  const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
  if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
  return true;
}

/** A PostgreSQL URL's server and credentials, as the Temporal services' config takes them. */
export function databaseOf(url: string) {
  const parsed = new URL(url);
  return { host: parsed.hostname, port: Number(parsed.port || 5432), user: decodeURIComponent(parsed.username), password: decodeURIComponent(parsed.password) };
}

/**
 * `npm run cluster`: PostgreSQL, a Temporal cluster of separate service processes (frontend, two
 * history, matching, worker) and its Web UI, then the payment simulator, two workers and two APIs
 * behind one port. Stops in reverse order.
 */
export async function startClusterStack(options: ClusterStackOptions): Promise<ClusterStack> {
  const ports: ClusterPorts = { ...DEFAULT_CLUSTER_PORTS, ...options.ports };
  const dataDir = resolve(REPO_ROOT, options.dataDir ?? DEFAULT_CLUSTER_DATA_DIR);
  const onLine = options.onLine ?? prefixedLines();
  const progress = options.progress ?? ((message: string) => onLine('cluster', message));
  const readyTimeoutMs = options.readyTimeoutMs ?? 180_000;

  let postgres: StackPostgres | undefined;
  let temporal: TemporalCluster | undefined;
  let proxy: RoundRobinProxy | undefined;
  const services = new Map<string, ManagedProcess>();
  const serviceOrder: string[] = [];
  let stopping = false;
  let reportCrash: (exit: ProcessExit) => void = () => {};
  const crashed = new Promise<ProcessExit>((resolveCrash) => (reportCrash = resolveCrash));

  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      stopping = true;
      await proxy?.close();
      for (const name of [...serviceOrder].reverse()) {
        progress(`stopping ${name}`);
        await services.get(name)?.stop(SERVICE_STOP_GRACE_MS);
      }
      await temporal?.stop();
      if (postgres) progress('stopping postgres');
      await postgres?.stop();
    })());

  // Ctrl-C during startup stops what has started; the step under way then fails, and the start rejects.
  options.signal?.addEventListener('abort', () => void stop(), { once: true });
  try {
    const [binaries, cli] = await Promise.all([ensureTemporalServerBinaries(options.env, progress), ensureTemporalCli(options.env, progress)]);
    if (!options.databaseUrl) {
      postgres = await startStackPostgres({ dataDir, port: ports.postgres, onLine: (line) => onLine('postgres', line), progress });
    }
    const databaseUrl = options.databaseUrl ?? postgresUrl(ports.postgres, ORDERS_DATABASE);
    temporal = await startTemporalCluster({
      binaries,
      cli,
      root: join(dataDir, 'temporal'),
      database: databaseOf(databaseUrl),
      processes: ports.temporal,
      uiPort: ports.temporalUi,
      uiCodecEndpoint: `http://127.0.0.1:${ports.api}/codec`,
      env: options.env,
      onLine: (name, line) => {
        if (!stopping) onLine(`temporal ${name}`, line);
      },
      progress,
      readyTimeoutMs,
    });
    for (const managed of temporal.processes.values()) {
      void managed.exited.then(() => !stopping && reportCrash({ name: `temporal ${managed.name}`, how: managed.child.signalCode ?? `code ${managed.child.exitCode}` }));
    }

    const payloadSecrets = devPayloadSecrets(dataDir, options.env);
    const secrets = ensureDevSecrets(dataDir);
    const shared: Env = {
      ...options.env,
      ...payloadSecrets.env,
      API_TOKENS_FILE: secrets.apiTokensFile,
      PAYMENT_GATEWAY_SECRET: options.env.PAYMENT_GATEWAY_SECRET ?? secrets.paymentGatewaySecret,
      PAYMENTS_ADMIN_SECRET: options.env.PAYMENTS_ADMIN_SECRET ?? secrets.paymentsAdminSecret,
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: temporal.frontendAddress,
      TEMPORAL_NAMESPACE: 'default',
      PAYMENTS_PORT: String(ports.payments),
      PAYMENT_GATEWAY_URL: `http://127.0.0.1:${ports.payments}`,
      SHUTDOWN_GRACE_MS: options.env.SHUTDOWN_GRACE_MS ?? '10000',
      CODEC_CORS_ORIGINS: temporal.uiUrl,
      ...(options.databaseUrl ? {} : { SEED_DEMO_CATALOGUE: options.env.SEED_DEMO_CATALOGUE ?? 'true' }),
    };
    const specs = new Map<string, { entry: string; env: Env; ready: string }>([
      ['payments', { entry: 'simulators/payment-gateway/main.ts', env: {}, ready: `http://127.0.0.1:${ports.payments}/health` }],
      ...[0, 1].map(
        (i) =>
          [
            `worker-${i + 1}`,
            {
              entry: 'src/worker/main.ts',
              env: { METRICS_PORT: String(ports.workerMetrics[i]), SDK_METRICS_PORT: String(ports.sdkMetrics[i]) },
              ready: `http://127.0.0.1:${ports.workerMetrics[i]}/metrics`,
            },
          ] as const,
      ),
      ...[0, 1].map(
        (i) =>
          [
            `api-${i + 1}`,
            {
              entry: 'src/api/main.ts',
              env: { PORT: String(ports.apis[i]), API_METRICS_PORT: String(ports.apiMetrics[i]) },
              ready: `http://127.0.0.1:${ports.apis[i]}/ready`,
            },
          ] as const,
      ),
    ]);
    const spawnService = (name: string) => {
      const spec = specs.get(name)!;
      // `node --import tsx` rather than the tsx CLI: one process per service, so signals reach it directly.
      const managed = spawnManaged(name, process.execPath, ['--import', 'tsx', spec.entry], {
        cwd: REPO_ROOT,
        env: { ...shared, ...spec.env },
        onLine: (line) => onLine(name, line),
      });
      services.set(name, managed);
      if (!serviceOrder.includes(name)) serviceOrder.push(name);
      void managed.exited.then(
        () => !stopping && reportCrash({ name, how: managed.child.signalCode ? `signal ${managed.child.signalCode}` : `code ${managed.child.exitCode}` }),
      );
      return waitFor(`${name} to answer`, () => answers200(spec.ready), { timeoutMs: readyTimeoutMs, intervalMs: 250 });
    };
    // The simulator first (the workers call it), then the workers (one migrates, the other waits on its lock), then the APIs.
    await spawnService('payments');
    await Promise.all(['worker-1', 'worker-2'].map(spawnService));
    await Promise.all(['api-1', 'api-2'].map(spawnService));
    proxy = await startRoundRobinProxy({ port: ports.api, upstreams: ports.apis.map((port) => `http://127.0.0.1:${port}`) });

    const metricsUrls = (list: number[]) => list.map((port) => `http://127.0.0.1:${port}/metrics`);
    return {
      urls: {
        api: proxy.url,
        apis: ports.apis.map((port) => `http://127.0.0.1:${port}`),
        payments: `http://127.0.0.1:${ports.payments}`,
        temporalAddress: temporal.frontendAddress,
        temporalUi: temporal.uiUrl,
        metrics: metricsUrls(ports.workerMetrics)[0]!,
        sdkMetrics: metricsUrls(ports.sdkMetrics)[0]!,
        apiMetrics: metricsUrls(ports.apiMetrics)[0]!,
        workerMetrics: metricsUrls(ports.workerMetrics),
        sdkMetricsAll: metricsUrls(ports.sdkMetrics),
        apiMetricsAll: metricsUrls(ports.apiMetrics),
        database: databaseUrl,
      },
      secrets,
      dataDir,
      embeddedPostgresDir: postgres?.dataDir,
      payloadsEncrypted: payloadSecrets.encrypted,
      payloadKeys: shared.PAYLOAD_KEYS,
      temporal,
      proxy,
      services,
      restartService: async (name) => {
        await spawnService(name);
      },
      crashed,
      stop,
    };
  } catch (error) {
    progress(`startup failed: ${(error as Error).message}; stopping what has started`);
    await stop();
    throw error;
  }
}
