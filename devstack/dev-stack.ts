import { resolve } from 'node:path';
import { exitedAndSaid, spawnManaged, type ManagedProcess } from './child-process.js';
import { EMBEDDED_POSTGRES_PORT, TASK_QUEUE_DEFAULT, type Env } from '../src/platform/config.js';
import { DEFAULT_TEMPORAL_PORT } from '../src/platform/temporal-connection.js';
import { devPayloadSecrets } from './dev-payload-keys.js';
import { postgresUrl } from './embedded-postgres.js';
import type { DevServer } from './temporal-dev-server.js';
import { ensureDevSecrets, type DevSecrets } from './dev-secrets.js';
import { endedDuringStartup, keepingLastLines, prefixedLines, type LineSink } from './foreground.js';
import { REPO_ROOT } from './repo-root.js';
import { ORDERS_DATABASE, secondsSince, startStackPostgres, startStackTemporal, type StackPostgres } from './stack-servers.js';
import { controlStackProcesses, type StackProcesses } from './stack-processes.js';
import { answers200, STACK_SERVICES, waitForWorkerPolling } from './stack-services.js';
import { waitFor } from './wait-for.js';
import { buildStackWorkerEntry, buildStackWorkflowBundle, workerNodeArgs } from './worker-memory.js';

export const DEFAULT_DATA_DIR = '.data';

/** The data folder as an absolute path; a relative one is taken from the repository root. */
export const dataDirPath = (dataDir: string = DEFAULT_DATA_DIR) => resolve(REPO_ROOT, dataDir);

export interface DevStackPorts {
  api: number;
  payments: number;
  temporal: number;
  temporalUi: number;
  metrics: number;
  sdkMetrics: number;
  apiMetrics: number;
  postgres: number;
}

export const DEFAULT_PORTS: DevStackPorts = {
  api: 3000,
  payments: 3001,
  temporal: DEFAULT_TEMPORAL_PORT,
  temporalUi: 8233,
  metrics: 9464,
  sdkMetrics: 9465,
  apiMetrics: 9466,
  postgres: EMBEDDED_POSTGRES_PORT,
};

export interface DevStackOptions {
  /** The environment the services inherit; the stack's own addresses override it. */
  env: Env;
  /** Where Temporal's SQLite file and the embedded cluster live; relative to the repository root. */
  dataDir?: string;
  ports?: Partial<DevStackPorts>;
  /** An external PostgreSQL. When absent, an embedded one runs in `<dataDir>/postgres`. */
  databaseUrl?: string;
  onLine?: LineSink;
  /** What the launcher itself has to say (build progress, shutdown steps). */
  progress?: (message: string) => void;
  /** How long the services may take to answer, from their spawn. */
  readyTimeoutMs?: number;
  /** Aborting during startup stops whatever has started, and the start rejects. */
  signal?: AbortSignal;
  /** `--sqlite-pragma` values for the Temporal dev server, e.g. `journal_mode=WAL` (the benchmark's). */
  sqlitePragmas?: string[];
}

export interface DevStackUrls {
  api: string;
  payments: string;
  temporalAddress: string;
  temporalUi: string;
  metrics: string;
  sdkMetrics: string;
  apiMetrics: string;
  database: string;
}

export interface ProcessExit {
  name: string;
  /** How it ended, as far as is known: "code 1", "signal SIGKILL" or "exited". */
  how: string;
}

export interface DevStack {
  urls: DevStackUrls;
  /** The dev tokens and secrets under the data folder, which the services were given. */
  secrets: DevSecrets;
  dataDir: string;
  /** Absent when DATABASE_URL pointed elsewhere. */
  embeddedPostgresDir?: string;
  /** Whether the services encrypt Temporal payloads with the dev key (the codec server then decodes for admin tokens). */
  payloadsEncrypted: boolean;
  /** The services' PAYLOAD_KEYS, for another client of the stack (the benchmark's); absent when encryption is off. */
  payloadKeys?: string;
  /** Settles when a process of the stack exits before `stop()` was called, and not by `processes`. */
  crashed: Promise<ProcessExit>;
  /** Kills, restarts and adds the stack's processes one at a time, for the fault experiments (`npm run chaos`). */
  processes: StackProcesses;
  /** Stops the API, the worker and the gateway one after another, then Temporal and PostgreSQL. */
  stop(): Promise<void>;
}

/** The worker drains in-flight activities for this long; the launcher waits a little longer before SIGKILL. */
const WORKER_SHUTDOWN_GRACE_MS = 10_000;
const SERVICE_STOP_GRACE_MS = 20_000;

function rejectOnAbort(signal: AbortSignal | undefined): Promise<never> {
  return new Promise((_, reject) => {
    const fail = () => reject(new Error('Startup interrupted'));
    if (signal?.aborted) fail();
    signal?.addEventListener('abort', fail, { once: true });
  });
}

/**
 * Starts Temporal and (unless given a DATABASE_URL) PostgreSQL, then the payment gateway, the worker and
 * the API as child processes, and resolves once all three answer.
 */
export async function startDevStack(options: DevStackOptions): Promise<DevStack> {
  const ports = { ...DEFAULT_PORTS, ...options.ports };
  const dataDir = dataDirPath(options.dataDir);
  const said = keepingLastLines(options.onLine ?? prefixedLines());
  const onLine = said.sink;
  const progress = options.progress ?? ((message: string) => onLine('start', message));
  const readyTimeoutMs = options.readyTimeoutMs ?? 120_000;

  let temporal: DevServer | undefined;
  let postgres: StackPostgres | undefined;
  const services = new Map<string, ManagedProcess>();

  let stopping = false;
  let reportCrash: (exit: ProcessExit) => void = () => {};
  const crashed = new Promise<ProcessExit>((resolveCrash) => (reportCrash = resolveCrash));
  // A process stopped on purpose (by `processes`) has not crashed.
  const meantToExit = new WeakSet<object>();
  const watch = (name: string, process: object, exited: Promise<unknown>, how: () => string) =>
    void exited.then(() => {
      if (!stopping && !meantToExit.has(process)) reportCrash({ name, how: how() });
    });
  const howManaged =
    ({ child }: ManagedProcess) =>
    () =>
      child.signalCode ? `signal ${child.signalCode}` : `code ${child.exitCode}`;

  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      stopping = true;
      for (const service of [...services.values()].reverse()) {
        progress(`stopping ${service.name}`);
        await service.stop(SERVICE_STOP_GRACE_MS);
      }
      if (temporal || postgres) progress(`stopping ${[temporal && 'temporal', postgres && 'postgres'].filter(Boolean).join(' and ')}`);
      await Promise.allSettled([temporal?.stop(), postgres?.stop()]);
    })());

  // Startup gives up at once when it is interrupted or when a process it started dies.
  const giveUp = Promise.race([
    rejectOnAbort(options.signal),
    crashed.then(({ name, how }) => Promise.reject(new Error(endedDuringStartup(`${name} ended (${how})`, said.lastLines(name))))),
  ]);
  giveUp.catch(() => {});

  const startTemporal = () =>
    startStackTemporal({
      env: options.env,
      dataDir,
      port: ports.temporal,
      uiPort: ports.temporalUi,
      sqlitePragmas: options.sqlitePragmas,
      onLine: (line) => onLine('temporal', line),
      progress,
    }).then((server) => {
      temporal = server;
      watch('temporal', server, exitedAndSaid(server.process), howManaged(server.process));
    });
  const startPostgres = () =>
    startStackPostgres({ dataDir, port: ports.postgres, onLine: (line) => onLine('postgres', line), progress }).then((server) => {
      postgres = server;
      watch('postgres', server, server.exited, () => 'exited');
    });
  // The worker's prebuilt workflow bundle, built meanwhile (devstack/worker-memory.ts), unless one is given.
  const bundleBuilding = options.env.WORKFLOW_BUNDLE_PATH
    ? Promise.resolve(options.env.WORKFLOW_BUNDLE_PATH)
    : buildStackWorkflowBundle({ dataDir, env: options.env, onLine: (line) => onLine('bundle', line) });
  bundleBuilding.catch(() => {});
  const workerCompiling = buildStackWorkerEntry();
  workerCompiling.catch(() => {});
  let compiledWorker: string | undefined;
  const temporalStarting = startTemporal();
  const postgresStarting = options.databaseUrl ? Promise.resolve() : startPostgres();

  const databaseUrl = options.databaseUrl ?? postgresUrl(ports.postgres, ORDERS_DATABASE);
  const temporalAddress = `127.0.0.1:${ports.temporal}`;
  const urls: DevStackUrls = {
    api: `http://127.0.0.1:${ports.api}`,
    payments: `http://127.0.0.1:${ports.payments}`,
    temporalAddress,
    temporalUi: `http://127.0.0.1:${ports.temporalUi}`,
    metrics: `http://127.0.0.1:${ports.metrics}/metrics`,
    sdkMetrics: `http://127.0.0.1:${ports.sdkMetrics}/metrics`,
    apiMetrics: `http://127.0.0.1:${ports.apiMetrics}/metrics`,
    database: databaseUrl,
  };
  const taskQueue = options.env.TEMPORAL_TASK_QUEUE ?? TASK_QUEUE_DEFAULT;
  const payloadSecrets = devPayloadSecrets(dataDir, options.env);
  const secrets = ensureDevSecrets(dataDir);
  const serviceEnv: Env = {
    ...options.env,
    ...payloadSecrets.env,
    // The dev tokens are added to any the environment configures; its secrets, if set, win.
    API_TOKENS_FILE: secrets.apiTokensFile,
    PAYMENT_GATEWAY_SECRET: options.env.PAYMENT_GATEWAY_SECRET ?? secrets.paymentGatewaySecret,
    PAYMENTS_ADMIN_SECRET: options.env.PAYMENTS_ADMIN_SECRET ?? secrets.paymentsAdminSecret,
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: temporalAddress,
    TEMPORAL_NAMESPACE: 'default',
    TEMPORAL_TASK_QUEUE: taskQueue,
    TEMPORAL_UI_URL: urls.temporalUi,
    PORT: String(ports.api),
    PAYMENTS_PORT: String(ports.payments),
    PAYMENT_GATEWAY_URL: urls.payments,
    METRICS_PORT: String(ports.metrics),
    SDK_METRICS_PORT: String(ports.sdkMetrics),
    API_METRICS_PORT: String(ports.apiMetrics),
    SHUTDOWN_GRACE_MS: options.env.SHUTDOWN_GRACE_MS ?? String(WORKER_SHUTDOWN_GRACE_MS),
    // The demo products go into the PostgreSQL this stack started; a DATABASE_URL of one's own is left alone unless asked.
    ...(options.databaseUrl ? {} : { SEED_DEMO_CATALOGUE: options.env.SEED_DEMO_CATALOGUE ?? 'true' }),
  };

  function spawnService(name: string, entry: string, env: Env = {}): ManagedProcess {
    // `node --import tsx` rather than the tsx CLI: one process per service, so signals reach it directly.
    const processEnv = { ...serviceEnv, ...env };
    const isWorker = name.startsWith('worker');
    // The workers run compiled (devstack/worker-memory.ts), with their heap capped and two malloc
    // arenas: glibc's default, eight per core, kept about 40 MB more of the worker's RSS.
    const program = isWorker && compiledWorker ? [compiledWorker] : ['--import', 'tsx', entry];
    const args = [...(isWorker ? workerNodeArgs(processEnv) : []), ...program];
    const service = spawnManaged(name, process.execPath, args, {
      cwd: REPO_ROOT,
      env: isWorker ? { MALLOC_ARENA_MAX: '2', ...processEnv } : processEnv,
      onLine: (line) => onLine(name, line),
    });
    services.set(name, service);
    watch(name, service, exitedAndSaid(service), howManaged(service));
    return service;
  }
  const processes = controlStackProcesses({
    urls,
    taskQueue,
    readyTimeoutMs,
    services,
    spawnService,
    meantToExit: (process) => meantToExit.add(process),
    temporal: { current: () => temporal, start: startTemporal },
    postgres: options.databaseUrl ? undefined : { current: () => postgres, start: startPostgres },
  });

  try {
    const infrastructure = Promise.all([temporalStarting, postgresStarting]);
    // A server that comes up after an interruption must still be stopped, so wait for both to settle.
    await Promise.race([infrastructure, giveUp]).catch(async (error: unknown) => {
      if (options.signal?.aborted) progress('interrupted: stopping once the servers now starting are up (a second Ctrl-C kills everything now)');
      await Promise.allSettled([temporalStarting, postgresStarting]);
      throw error;
    });
    serviceEnv.WORKFLOW_BUNDLE_PATH = await Promise.race([bundleBuilding, giveUp]);
    compiledWorker = await Promise.race([workerCompiling, giveUp]);
    for (const { name, entry } of STACK_SERVICES) spawnService(name, entry);
    const deadline = { timeoutMs: readyTimeoutMs, intervalMs: 250 };
    // A line per service as it comes up: the API's includes its migrations and seeding (its own log says how long each took).
    const spawnedAt = Date.now();
    const upIn = (what: string) => () => progress(`${what} in ${secondsSince(spawnedAt)}`);
    await Promise.race([
      Promise.all([
        waitFor('the payment gateway', () => answers200(`${urls.payments}/health`), deadline).then(upIn('payment gateway answering')),
        waitFor('the API to be ready', () => answers200(`${urls.api}/ready`), deadline).then(upIn('API ready')),
        waitForWorkerPolling(temporalAddress, taskQueue, readyTimeoutMs).then(upIn('worker polling')),
      ]),
      giveUp,
    ]);
  } catch (error) {
    progress(`${options.signal?.aborted ? 'interrupted' : `startup failed: ${(error as Error).message}`}; stopping what has started`);
    await stop();
    throw error;
  }

  return {
    urls,
    secrets,
    dataDir,
    embeddedPostgresDir: postgres?.dataDir,
    payloadsEncrypted: payloadSecrets.encrypted,
    payloadKeys: serviceEnv.PAYLOAD_KEYS,
    crashed,
    processes,
    stop,
  };
}
