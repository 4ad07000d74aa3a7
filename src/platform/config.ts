import { existsSync } from 'node:fs';
import { z } from 'zod';
import { DEFAULT_FRAUD_REVIEW_LIMIT } from '../domain/fraud.js';
import { DEFAULT_PAYMENTS_CONCURRENCY, WORKER_CONCERNS } from '../domain/task-queues.js';
import { payloadCodecSchema } from './codec/codec-config.js';
import { loadTokenEntries, type TokenEntry } from './api-tokens.js';
import { checkWorkerDeployment, workerDeploymentSchema } from './worker-deployment-config.js';

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

/**
 * Overload protection (README "Overload protection"). The admin limit is far above the customer one
 * because the admin token is what back-office tools and the benchmark send, at hundreds of orders a
 * second; a customer placing more than a few a second is a script, not a person.
 */
export const OVERLOAD_DEFAULTS = {
  orderRateLimitPerMinute: 300,
  orderRateLimitAdminPerMinute: 60_000,
  orderIntakeMaxInFlight: 256,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
} as const;

const positiveInt = z.coerce.number().int().positive();
const overloadSchema = {
  /** POST /orders per token per minute: a customer's token, and an admin's. */
  ORDER_RATE_LIMIT_PER_MINUTE: positiveInt.default(OVERLOAD_DEFAULTS.orderRateLimitPerMinute),
  ORDER_RATE_LIMIT_ADMIN_PER_MINUTE: positiveInt.default(OVERLOAD_DEFAULTS.orderRateLimitAdminPerMinute),
  /** POST /orders in flight at once in this process; beyond it, 503 at once instead of a queue. */
  ORDER_INTAKE_MAX_IN_FLIGHT: positiveInt.default(OVERLOAD_DEFAULTS.orderIntakeMaxInFlight),
  /** Slow clients: the whole header, the whole request, and an idle keep-alive connection. */
  HTTP_HEADERS_TIMEOUT_MS: positiveInt.default(OVERLOAD_DEFAULTS.headersTimeoutMs),
  HTTP_REQUEST_TIMEOUT_MS: positiveInt.default(OVERLOAD_DEFAULTS.requestTimeoutMs),
  HTTP_KEEP_ALIVE_TIMEOUT_MS: positiveInt.default(OVERLOAD_DEFAULTS.keepAliveTimeoutMs),
};

/** Exported for the deploy tests, which check every variable a deployment file sets against it. */
export const apiSchema = z.object({
  ...temporalSchema,
  ...databaseSchema,
  ...tracingSchema,
  ...accessSchema,
  ...overloadSchema,
  PORT: port.default(3000),
  HOST: listenHost,
  /** /metrics is served here, not on the public port: for Prometheus, on an internal address. */
  API_METRICS_PORT: port.default(9466),
  METRICS_HOST: listenHost,
  LOG_LEVEL: logLevel,
  ...webhookNetworkSchema,
  /** How long a webhook delivery is retried before its endpoint is disabled; Stripe's 3 days by default. */
  WEBHOOK_RETRY_WINDOW_MS: z.coerce.number().int().positive().optional(),
  /** The Temporal Web UI that admins' order answers link to (`Link: ...; rel="temporal-ui"`). */
  TEMPORAL_UI_URL: z.string().url().default('http://127.0.0.1:8233'),
  /** Browser origins that may call /codec: the Temporal Web UI's. */
  CODEC_CORS_ORIGINS: commaList.default(['http://127.0.0.1:8233', 'http://localhost:8233']),
  /** Seed the demo products: by default only into the embedded database, never into one named by DATABASE_URL. */
  SEED_DEMO_CATALOGUE: z
    .enum(['true', 'false'])
    .transform((value) => value === 'true')
    .optional(),
});

/**
 * The worker's memory settings that `npm start` and the benchmark run with (bench/README.md "Worker
 * memory" has the measurements behind them). The heap cap and the young generation's semi-space
 * are Node flags, so the launcher passes them (devstack/worker-memory.ts, deploy/docker/entrypoint.sh;
 * elsewhere `NODE_OPTIONS=--max-old-space-size=... --max-semi-space-size=...`); the cache size is
 * WORKER_MAX_CACHED_WORKFLOWS. The SDK would size the cache from the heap: 32 workflows under a
 * 256 MB heap, so with more orders in flight most workflow tasks would replay their whole history.
 * V8's default semi-space here is 16 MB, in each of the worker's two isolates (its main thread and
 * the workflow thread), and under load all of it is touched.
 */
export const WORKER_MEMORY_DEFAULTS = { maxHeapMb: 256, maxSemiSpaceMb: 4, maxCachedWorkflows: 1000 };

export const workerSchema = z.object({
  ...temporalSchema,
  ...databaseSchema,
  ...tracingSchema,
  PAYMENT_GATEWAY_URL: z.string().url().default('http://127.0.0.1:3001'),
  PAYMENT_GATEWAY_TIMEOUT_MS: z.coerce.number().int().positive().default(5000),
  /** The gateway's circuit breaker: this many failures in a row open it, for this long (README "Overload protection"). */
  PAYMENT_BREAKER_CONSECUTIVE_FAILURES: z.coerce.number().int().positive().default(5),
  PAYMENT_BREAKER_OPEN_MS: z.coerce.number().int().positive().default(5_000),
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
  /** An orphaned PENDING order older than this (default a day) is failed with a reason, not started and charged. */
  PENDING_ORDER_MAX_AGE_MS: z.coerce.number().int().positive().default(86_400_000),
  /** A workflow bundle prebuilt by `npm run build:workflows` (the image's); unset, the worker bundles src/workflows at start. */
  WORKFLOW_BUNDLE_PATH: z.preprocess((value) => (value === '' ? undefined : value), z.string().optional()),
  ...workerDeploymentSchema,
  /** Which task queues this process polls (orders, payments, notifications, webhooks): all by default, so one worker runs everything. */
  WORKER_TASK_QUEUES: commaList
    .pipe(z.array(z.enum(WORKER_CONCERNS, { message: `each must be one of ${WORKER_CONCERNS.join(', ')}` })).min(1))
    .default([...WORKER_CONCERNS]),
  /** Concurrent gateway calls on this process's payments worker: a slow provider holds no more slots than this. */
  PAYMENTS_MAX_CONCURRENT_ACTIVITIES: z.coerce.number().int().positive().default(DEFAULT_PAYMENTS_CONCURRENCY),
  /** Workflows kept in the worker's sticky cache: at least the orders in flight, or their tasks replay from history. */
  WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().nonnegative().default(WORKER_MEMORY_DEFAULTS.maxCachedWorkflows),
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
export const loadWorkerConfig = (env: Env): WorkerConfig => parseConfig(workerSchema.superRefine(checkWorkerDeployment), env, 'worker');
