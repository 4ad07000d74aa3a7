import { spawnSync } from 'node:child_process';
import { Connection } from '@temporalio/client';
import type { Env } from '../src/platform/config.js';
import { ORDER_SEARCH_ATTRIBUTE_TYPES } from '../src/workflows/search-attributes.js';
import { exitedAndSaid, spawnManaged, type ManagedProcess } from './child-process.js';
import { endedDuringStartup, keepingLastLines } from './foreground.js';
import { writeClusterConfigs, writeUiConfig, type ClusterDatabase, type ClusterProcess } from './cluster-config.js';
import { setUpTemporalSchemas } from './cluster-schema.js';
import type { Progress } from './go-install.js';
import type { TemporalServerBinaries } from './temporal-server-build.js';
import { waitFor } from './wait-for.js';

export interface TemporalClusterOptions {
  binaries: TemporalServerBinaries;
  /** The `temporal` CLI: it creates the namespace and registers the search attributes, as an operator would. */
  cli: string;
  /** Where the configs are written (the data lives in PostgreSQL). */
  root: string;
  database: ClusterDatabase;
  processes: ClusterProcess[];
  uiPort: number;
  uiCodecEndpoint?: string;
  namespace?: string;
  /** Dynamic config values on top of the sample's (the rollout's short drainage intervals). */
  dynamicConfig?: Record<string, unknown>;
  env: Env;
  onLine?: (process: string, line: string) => void;
  progress: Progress;
  readyTimeoutMs?: number;
}

export interface TemporalCluster {
  frontendAddress: string;
  uiUrl: string;
  /** Running processes by name (`frontend`, `history-1`, …, `ui`): a test may kill one. */
  processes: Map<string, ManagedProcess>;
  /** Starts a process of the cluster again under its name (after a test killed it). */
  restart(name: string): ManagedProcess;
  /** Stops the UI, then the services in reverse order of their start. */
  stop(): Promise<void>;
}

const SERVICE_STOP_GRACE_MS = 15_000;

function cli(binary: string, args: string[]): { ok: boolean; output: string } {
  const result = spawnSync(binary, args, { encoding: 'utf8' });
  return { ok: result.status === 0, output: `${result.stdout}${result.stderr}`.trim() };
}

/** The namespace, once: a second start finds it in PostgreSQL. */
async function ensureNamespace(connection: Connection, binary: string, address: string, namespace: string, progress: Progress): Promise<void> {
  try {
    await connection.workflowService.describeNamespace({ namespace });
    return;
  } catch {
    // Not there yet: create it.
  }
  progress(`Creating the Temporal namespace "${namespace}"`);
  const created = cli(binary, ['operator', 'namespace', 'create', '--namespace', namespace, '--address', address, '--retention', '72h']);
  if (!created.ok && !/already/i.test(created.output)) throw new Error(`temporal operator namespace create failed: ${created.output}`);
}

/** The order search attributes, registered with the CLI where they are missing. */
async function ensureSearchAttributes(connection: Connection, binary: string, address: string, namespace: string, progress: Progress): Promise<void> {
  const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
  const missing = Object.entries(ORDER_SEARCH_ATTRIBUTE_TYPES).filter(([name]) => !(name in (customAttributes ?? {})));
  if (missing.length === 0) return;
  progress(`Registering search attributes: ${missing.map(([name]) => name).join(', ')}`);
  const args = ['operator', 'search-attribute', 'create', '--namespace', namespace, '--address', address];
  for (const [name, type] of missing) args.push('--name', name, '--type', type);
  const created = cli(binary, args);
  if (!created.ok) throw new Error(`temporal operator search-attribute create failed: ${created.output}`);
}

/**
 * A real Temporal cluster on PostgreSQL, without Docker: temporal-sql-tool sets up (or upgrades)
 * the two databases, each service runs as its own process from a config written here, then the
 * namespace, the search attributes and the Web UI.
 */
export async function startTemporalCluster(options: TemporalClusterOptions): Promise<TemporalCluster> {
  const namespace = options.namespace ?? 'default';
  const readyTimeoutMs = options.readyTimeoutMs ?? 120_000;
  const { binaries } = options;
  await setUpTemporalSchemas({ sqlTool: binaries.sqlTool, moduleDir: binaries.moduleDir, database: options.database, env: options.env, progress: options.progress });
  writeClusterConfigs({
    moduleDir: binaries.moduleDir,
    root: options.root,
    database: options.database,
    processes: options.processes,
    dynamicConfig: options.dynamicConfig,
  });
  const frontend = options.processes.find((p) => p.service === 'frontend')!;
  const frontendAddress = `127.0.0.1:${frontend.grpcPort}`;
  const uiRoot = writeUiConfig(options.root, { frontendAddress, port: options.uiPort, codecEndpoint: options.uiCodecEndpoint });

  const processes = new Map<string, ManagedProcess>();
  const said = keepingLastLines((name, line) => options.onLine?.(name, line));
  const order: string[] = [];
  const spawnProcess = (name: string): ManagedProcess => {
    const spec = options.processes.find((p) => p.name === name);
    const [command, args, cwd] = spec
      ? [binaries.server, ['--root', options.root, '--config', 'config', '--env', spec.name, 'start', '--service', spec.service], options.root]
      : [binaries.uiServer, ['--root', uiRoot, '--config', 'config', '--env', 'development', 'start'], uiRoot];
    const managed = spawnManaged(name, command, args, { cwd, env: options.env, onLine: (line) => said.sink(name, line) });
    processes.set(name, managed);
    if (!order.includes(name)) order.push(name);
    return managed;
  };

  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      for (const name of [...order].reverse()) {
        options.progress(`stopping temporal ${name}`);
        await processes.get(name)?.stop(SERVICE_STOP_GRACE_MS);
      }
    })());

  try {
    // Startup gives up as soon as a process dies (a port in use, a bad config), saying which.
    let startingUp = true;
    let reportDeath: (error: Error) => void = () => {};
    const died = new Promise<never>((_, reject) => (reportDeath = reject));
    died.catch(() => {});
    const spawnWatched = (name: string) => {
      const managed = spawnProcess(name);
      void exitedAndSaid(managed).then(
        () => startingUp && reportDeath(new Error(endedDuringStartup(`temporal ${name} exited (code ${managed.child.exitCode})`, said.lastLines(name)))),
      );
    };
    // The frontend first, alone: on a new database each service process writes the cluster's metadata
    // as it starts, and five at once collide on its key (the loser exits). Once the frontend answers,
    // the metadata is there, and the others read it.
    options.progress(
      `Starting the Temporal services: ${frontend.name}, then ${options.processes
        .filter((p) => p !== frontend)
        .map((p) => p.name)
        .join(', ')}`,
    );
    spawnWatched(frontend.name);
    const connection = await Promise.race([
      waitFor(
        `the Temporal frontend at ${frontendAddress}`,
        async () => {
          const connection = await Connection.connect({ address: frontendAddress, connectTimeout: 1000 });
          await connection.workflowService.getSystemInfo({});
          return connection;
        },
        { timeoutMs: readyTimeoutMs, intervalMs: 500 },
      ),
      died,
    ]);
    for (const spec of options.processes) if (spec !== frontend) spawnWatched(spec.name);
    try {
      // The frontend answers before history and matching have joined the ring: namespace calls wait for them.
      await Promise.race([
        waitFor(
          `the namespace "${namespace}" with its search attributes`,
          async () => {
            await ensureNamespace(connection, options.cli, frontendAddress, namespace, options.progress);
            await ensureSearchAttributes(connection, options.cli, frontendAddress, namespace, options.progress);
            return true;
          },
          { timeoutMs: readyTimeoutMs, intervalMs: 1000 },
        ),
        died,
      ]);
    } finally {
      await connection.close();
    }
    spawnProcess('ui');
    const uiUrl = `http://127.0.0.1:${options.uiPort}`;
    await waitFor('the Temporal Web UI', async () => ((await fetch(uiUrl, { signal: AbortSignal.timeout(2000) })).ok ? true : undefined), {
      timeoutMs: readyTimeoutMs,
      intervalMs: 500,
    });
    startingUp = false;
    return { frontendAddress, uiUrl, processes, restart: spawnProcess, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
