import { existsSync } from 'node:fs';
import { z } from 'zod';
import { DEFAULT_FRAUD_REVIEW_LIMIT } from '../domain/fraud.js';
import { payloadCodecSchema } from './codec/codec-config.js';
import { loadTokenEntries, type TokenEntry } from './api-tokens.js';

/**
 * Configuration is parsed once, at each entry point, from the environment, and passed down.
 * No other module reads process.env.
 */
export type Env = Record<string, string | undefined>;

export const port = z.coerce.number().int().min(0).max(65535);
export const logLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info');
/** Servers listen on loopback unless told otherwise (a container sets 0.0.0.0). */
export const listenHost = z.string().default('127.0.0.1');

/** The embedded PostgreSQL the dev stack starts when DATABASE_URL is unset. */
export const EMBEDDED_POSTGRES_PORT = 54329;
export const EMBEDDED_DATABASE_URL = `postgres://postgres:postgres@127.0.0.1:${EMBEDDED_POSTGRES_PORT}/orders`;

const commaList = z.preprocess(
  (value) =>
    typeof value === 'string'
      ? value
          .split(',')
          .map((item) => item.trim())
          .filter(Boolean)
      : value,
  z.array(z.string()),
);

export const TASK_QUEUE_DEFAULT = 'orders';

/** Where Temporal is and how to reach it (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TLS) is read by temporal-connection.ts. */
const temporalSchema = {
  TEMPORAL_TASK_QUEUE: z.string().default(TASK_QUEUE_DEFAULT),
  ...payloadCodecSchema,
};

export const databaseSchema = {
  DATABASE_URL: z.string().url().default(EMBEDDED_DATABASE_URL),
  DATABASE_POOL_SIZE: z.coerce.number().int().positive().default(10),
};

/** Tracing is off unless an OTLP endpoint is set; then spans go to `<endpoint>/v1/traces`. */
const tracingSchema = {
  OTEL_EXPORTER_OTLP_ENDPOINT: z.preprocess((value) => (value === '' ? undefined : value), z.string().url().optional()),
  OTEL_SERVICE_NAME: z.string().min(1).optional(),
};

/** Who may call the API, and from where: see api-tokens.ts for the token entries. */
const accessSchema = {
  API_TOKENS: z.string().optional(),
  API_TOKENS_FILE: z.string().min(1).optional(),
  /** Origins a browser may call the API from (exact `scheme://host[:port]`); none by default. */
  CORS_ALLOWED_ORIGINS: commaList.pipe(z.array(z.string().url())).default([]),
};

/** Webhook URLs may resolve only to public addresses, unless these networks (CIDRs, e.g. 10.1.0.0/16) are allowed. */
const webhookNetworkSchema = {
  WEBHOOK_ALLOWED_NETWORKS: commaList.default([]),
};

const apiSchema = z.object({
  ...temporalSchema,
  ...databaseSchema,
  ...tracingSchema,
  ...accessSchema,
  PORT: port.default(3000),
  HOST: listenHost,
  /** /metrics is served here, not on the public port: for Prometheus, on an internal address. */
  API_METRICS_PORT: port.default(9466),
  METRICS_HOST: listenHost,
  LOG_LEVEL: logLevel,
  ...webhookNetworkSchema,
  /** How long a webhook delivery is retried before its endpoint is disabled; Stripe's 3 days by default. */
  WEBHOOK_RETRY_WINDOW_MS: z.coerce.number().int().positive().optional(),
  /** Browser origins that may call /codec: the Temporal Web UI's. */
  CODEC_CORS_ORIGINS: commaList.default(['http://127.0.0.1:8233', 'http://localhost:8233']),
  /** Seed the demo products: by default only into the embedded database, never into one named by DATABASE_URL. */
  SEED_DEMO_CATALOGUE: z
    .enum(['true', 'false'])
    .transform((value) => value === 'true')
    .optional(),
});

const workerSchema = z.object({
  ...temporalSchema,
  ...databaseSchema,
  ...tracingSchema,
  PAYMENT_GATEWAY_URL: z.string().url().default('http://127.0.0.1:3001'),
  PAYMENT_GATEWAY_TIMEOUT_MS: z.coerce.number().int().positive().default(5000),
  /** The HMAC secret every call to the gateway is signed with; the gateway shares it. No default. */
  PAYMENT_GATEWAY_SECRET: z.string().min(16, 'must be at least 16 characters'),
  NOTIFY_WEBHOOK_URL: z.string().url().optional(),
  /** Orders above this total, in minor units of their currency, fail FRAUD_SUSPECTED instead of being charged. */
  FRAUD_REVIEW_LIMIT_MINOR: z.coerce.number().int().nonnegative().default(DEFAULT_FRAUD_REVIEW_LIMIT),
  ...webhookNetworkSchema,
  /** One webhook POST, connect to the last byte read. */
  WEBHOOK_DELIVERY_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  /** How much of a receiver's answer is read. */
  WEBHOOK_MAX_RESPONSE_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(64 * 1024),
  METRICS_PORT: port.default(9464),
  SDK_METRICS_PORT: port.default(9465),
  METRICS_HOST: listenHost,
  LOG_LEVEL: logLevel,
  SHUTDOWN_GRACE_MS: z.coerce.number().int().positive().default(30_000),
  /** A PENDING order this old with no workflow is an orphan: the reconciler starts it (or fails it with a reason). */
  PENDING_ORDER_RECONCILE_AFTER_MS: z.coerce.number().int().positive().default(120_000),
  PENDING_ORDER_RECONCILE_EVERY_MS: z.coerce.number().int().positive().default(30_000),
});

export type ApiConfig = z.infer<typeof apiSchema> & { tokens: TokenEntry[] };
export type WorkerConfig = z.infer<typeof workerSchema>;

/** Validates one entry point's environment against its schema, naming every problem at once. */
export function parseConfig<T extends z.ZodTypeAny>(schema: T, env: Env, what: string): z.infer<T> {
  const result = schema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid ${what} configuration: ${problems}`);
  }
  return result.data;
}

/**
 * The API seeds the demo catalogue into the embedded database the dev tools start (DATABASE_URL
 * unset, or that same URL), or where SEED_DEMO_CATALOGUE=true says so; SEED_DEMO_CATALOGUE=false
 * turns it off even there. A real database's products are never written by a start.
 */
export function shouldSeedDemoCatalogue(config: Pick<ApiConfig, 'DATABASE_URL' | 'SEED_DEMO_CATALOGUE'>): boolean {
  return config.SEED_DEMO_CATALOGUE ?? config.DATABASE_URL === EMBEDDED_DATABASE_URL;
}

/** Where `npm start` keeps the dev token entries; read only on the embedded default, when nothing else is configured. */
export const DEV_TOKENS_FILE = '.data/api-tokens';

/**
 * The API never runs open: with no token configured it refuses to start, except on the embedded
 * development default, where it takes the dev tokens `npm start` made (and still refuses without them).
 */
export function loadApiConfig(env: Env, devTokensFile = DEV_TOKENS_FILE): ApiConfig {
  const config = parseConfig(apiSchema, env, 'API');
  let tokens: TokenEntry[];
  try {
    tokens = loadTokenEntries(config.API_TOKENS, config.API_TOKENS_FILE);
    const embedded = config.DATABASE_URL === EMBEDDED_DATABASE_URL;
    if (tokens.length === 0 && embedded && existsSync(devTokensFile)) tokens = loadTokenEntries(undefined, devTokensFile);
    if (tokens.length === 0) {
      throw new Error(
        embedded
          ? `no API tokens: set API_TOKENS or API_TOKENS_FILE, or run \`npm start\` once to make dev tokens in ${devTokensFile}`
          : 'no API tokens are configured (API_TOKENS or API_TOKENS_FILE), and the API does not run open outside the embedded development default',
      );
    }
  } catch (error) {
    throw new Error(`Invalid API configuration: ${(error as Error).message}`);
  }
  return { ...config, tokens };
}
export const loadWorkerConfig = (env: Env): WorkerConfig => parseConfig(workerSchema, env, 'worker');
