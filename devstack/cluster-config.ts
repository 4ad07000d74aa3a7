import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';

/** The Temporal services, each run as a process of its own; history twice, so that one can be killed. */
export type TemporalService = 'frontend' | 'history' | 'matching' | 'worker';

export interface ClusterProcess {
  /** Unique per process: `frontend`, `history-1`, `history-2`, `matching`, `worker`. Also its config's `--env`. */
  name: string;
  service: TemporalService;
  grpcPort: number;
  membershipPort: number;
  /** The frontend's HTTP API. */
  httpPort?: number;
  /** Its Prometheus endpoint. */
  metricsPort: number;
}

export interface ClusterDatabase {
  host: string;
  port: number;
  user: string;
  password: string;
}

export interface ClusterConfigOptions {
  /** The server module's source: its sample config and dynamic config are the starting point. */
  moduleDir: string;
  /** Where the configs are written: `<root>/config/<process>.yaml`. */
  root: string;
  database: ClusterDatabase;
  processes: ClusterProcess[];
  numHistoryShards?: number;
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
  /** Dynamic config values set on top of the sample's, for every process (`{ key: value }`). */
  dynamicConfig?: Record<string, unknown>;
}

export const PERSISTENCE_DATABASE = 'temporal';
export const VISIBILITY_DATABASE = 'temporal_visibility';

type Yaml = Record<string, unknown>;

/** The parts of the sample server config this file changes; the rest is kept as it is. */
interface ServerConfig extends Yaml {
  persistence: { numHistoryShards: number; datastores: Record<string, { sql: Yaml }> };
  global: Yaml & { metrics: { prometheus: Yaml } };
  clusterMetadata: { clusterInformation: { active: Yaml } };
  dynamicConfigClient: Yaml;
}

function readYaml<T = Yaml>(path: string): T {
  return parse(readFileSync(path, 'utf8')) as T;
}

/**
 * Writes one config per process from the module's `development-postgres12.yaml`: every process
 * gets the whole `services` table (so it knows the frontend's address) with its own entry's ports
 * (so two history processes do not collide), its own metrics port, no pprof, membership on loopback,
 * and the database given. Written on every start, so a changed port never leaves a stale file.
 */
export function writeClusterConfigs(options: ClusterConfigOptions): { configDir: string; dynamicConfig: string } {
  const configDir = join(options.root, 'config');
  mkdirSync(configDir, { recursive: true });
  const sample = readYaml<ServerConfig>(join(options.moduleDir, 'config', 'development-postgres12.yaml'));
  const dynamic = readYaml(join(options.moduleDir, 'config', 'dynamicconfig', 'development-sql.yaml'));
  // As the dev server does: a search attribute registered a moment ago is usable at once.
  dynamic['system.forceSearchAttributesCacheRefreshOnRead'] = [{ value: true, constraints: {} }];
  for (const [key, value] of Object.entries(options.dynamicConfig ?? {})) dynamic[key] = [{ value, constraints: {} }];
  const dynamicConfig = join(configDir, 'dynamicconfig.yaml');
  writeFileSync(dynamicConfig, stringify(dynamic));

  const frontend = options.processes.find((p) => p.service === 'frontend');
  if (!frontend) throw new Error('A cluster needs a frontend');
  const { host, port, user, password } = options.database;
  const services = (own: ClusterProcess) =>
    Object.fromEntries(
      (['frontend', 'history', 'matching', 'worker'] as const).map((service) => {
        const entry = own.service === service ? own : options.processes.find((p) => p.service === service);
        if (!entry) throw new Error(`A cluster needs a ${service} process`);
        const rpc = { grpcPort: entry.grpcPort, membershipPort: entry.membershipPort, bindOnLocalHost: true, ...(entry.httpPort ? { httpPort: entry.httpPort } : {}) };
        return [service, { rpc }];
      }),
    );

  for (const process of options.processes) {
    const config = structuredClone(sample);
    config.log = { stdout: true, level: options.logLevel ?? 'error', format: 'json' };
    config.persistence.numHistoryShards = options.numHistoryShards ?? 4;
    for (const store of Object.values(config.persistence.datastores)) {
      Object.assign(store.sql, { connectAddr: `${host}:${port}`, user, password });
    }
    config.global.membership = { maxJoinDuration: '30s', broadcastAddress: '127.0.0.1' };
    config.global.pprof = { port: 0 };
    config.global.metrics.prometheus.listenAddress = `127.0.0.1:${process.metricsPort}`;
    config.services = services(process);
    config.clusterMetadata.clusterInformation.active.rpcAddress = `127.0.0.1:${frontend.grpcPort}`;
    // Resolved against the working directory, not --root: an absolute path works from anywhere.
    config.dynamicConfigClient.filepath = dynamicConfig;
    // Archival is off here: the sample enables its file store, which this stack has no use for.
    config.archival = { history: { state: 'disabled' }, visibility: { state: 'disabled' } };
    delete config.namespaceDefaults;
    writeFileSync(join(configDir, `${process.name}.yaml`), stringify(config));
  }
  return { configDir, dynamicConfig };
}

/** The Web UI server's config (`<root>/ui/config/development.yaml`), pointed at the cluster's frontend. */
export function writeUiConfig(root: string, options: { frontendAddress: string; port: number; codecEndpoint?: string }): string {
  const uiRoot = join(root, 'ui');
  mkdirSync(join(uiRoot, 'config'), { recursive: true });
  const config = {
    temporalGrpcAddress: options.frontendAddress,
    host: '127.0.0.1',
    port: options.port,
    enableUi: true,
    defaultNamespace: 'default',
    cors: { allowOrigins: [`http://127.0.0.1:${options.port}`], cookieInsecure: true },
    codec: { endpoint: options.codecEndpoint ?? '' },
  };
  writeFileSync(join(uiRoot, 'config', 'development.yaml'), stringify(config));
  return uiRoot;
}
