import { loadClientConnectConfig } from '@temporalio/envconfig';
import { Client, Connection, type ClientOptions } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import type { Env } from './config.js';

/** The frontend port of the dev server that `npm run temporal` starts, so every process finds it unconfigured. */
export const DEFAULT_TEMPORAL_PORT = 7233;
/** The dev server binds 127.0.0.1; "localhost" may resolve to ::1 first and miss it. */
export const DEFAULT_TEMPORAL_ADDRESS = `127.0.0.1:${DEFAULT_TEMPORAL_PORT}`;

/**
 * Every variable the SDK's envconfig reads for the connection, besides `TEMPORAL_GRPC_META_<NAME>`
 * (a gRPC header each): the deploy tests check what a deployment file sets against this list.
 */
export const TEMPORAL_CONNECTION_VARIABLES = [
  'TEMPORAL_ADDRESS',
  'TEMPORAL_NAMESPACE',
  'TEMPORAL_API_KEY',
  'TEMPORAL_PROFILE',
  'TEMPORAL_CONFIG_FILE',
  'TEMPORAL_TLS',
  'TEMPORAL_TLS_CLIENT_CERT_PATH',
  'TEMPORAL_TLS_CLIENT_CERT_DATA',
  'TEMPORAL_TLS_CLIENT_KEY_PATH',
  'TEMPORAL_TLS_CLIENT_KEY_DATA',
  'TEMPORAL_TLS_SERVER_CA_CERT_PATH',
  'TEMPORAL_TLS_SERVER_CA_CERT_DATA',
  'TEMPORAL_TLS_SERVER_NAME',
] as const;

export interface TemporalSettings {
  connectionOptions: { address: string; apiKey?: string; tls?: unknown; metadata?: Record<string, string> };
  namespace: string;
}

/**
 * Reads TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TEMPORAL_TLS_* and the optional
 * temporal.toml profile (TEMPORAL_PROFILE) with the SDK's own envconfig, so the same code
 * reaches the dev server, a self-hosted cluster or Temporal Cloud.
 */
export function temporalSettings(env: Env): TemporalSettings {
  const definedEnv = Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined));
  const config = loadClientConnectConfig({ overrideEnvVars: definedEnv });
  return {
    connectionOptions: { ...config.connectionOptions, address: config.connectionOptions.address ?? DEFAULT_TEMPORAL_ADDRESS } as TemporalSettings['connectionOptions'],
    namespace: config.namespace ?? 'default',
  };
}

/** `client` carries what every client of this service shares: the data converter (the payload codec), interceptors. */
export async function connectClient(settings: TemporalSettings, client: Omit<ClientOptions, 'connection' | 'namespace'> = {}): Promise<Client> {
  const connection = await Connection.connect(settings.connectionOptions as Parameters<typeof Connection.connect>[0]);
  return new Client({ ...client, connection, namespace: settings.namespace });
}

export function connectWorkerConnection(settings: TemporalSettings): Promise<NativeConnection> {
  return NativeConnection.connect(settings.connectionOptions as Parameters<typeof NativeConnection.connect>[0]);
}
