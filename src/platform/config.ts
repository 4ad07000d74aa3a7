import { z } from 'zod';
import { DEFAULT_FRAUD_REVIEW_LIMIT } from '../activities/fraud.js';

/**
 * Configuration is parsed once, at each entry point, from the environment, and passed down.
 * No other module reads process.env.
 */
export type Env = Record<string, string | undefined>;

const port = z.coerce.number().int().min(0).max(65535);
const logLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info');

/** The embedded PostgreSQL the dev stack starts when DATABASE_URL is unset. */
export const EMBEDDED_POSTGRES_PORT = 54329;
export const EMBEDDED_DATABASE_URL = `postgres://postgres:postgres@127.0.0.1:${EMBEDDED_POSTGRES_PORT}/orders`;

export const TASK_QUEUE_DEFAULT = 'orders';

const temporalSchema = {
  TEMPORAL_ADDRESS: z.string().default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().default('default'),
  TEMPORAL_TASK_QUEUE: z.string().default(TASK_QUEUE_DEFAULT),
};

const databaseSchema = {
  DATABASE_URL: z.string().url().default(EMBEDDED_DATABASE_URL),
  DATABASE_POOL_SIZE: z.coerce.number().int().positive().default(10),
};

/** Tracing is off unless an OTLP endpoint is set; then spans go to `<endpoint>/v1/traces`. */
const tracingSchema = {
  OTEL_EXPORTER_OTLP_ENDPOINT: z.preprocess((value) => (value === '' ? undefined : value), z.string().url().optional()),
  OTEL_SERVICE_NAME: z.string().min(1).optional(),
};

const apiSchema = z.object({
  ...temporalSchema,
  ...databaseSchema,
  ...tracingSchema,
  PORT: port.default(3000),
  HOST: z.string().default('127.0.0.1'),
  LOG_LEVEL: logLevel,
});

const workerSchema = z.object({
  ...temporalSchema,
  ...databaseSchema,
  ...tracingSchema,
  PAYMENT_GATEWAY_URL: z.string().url().default('http://127.0.0.1:3001'),
  PAYMENT_GATEWAY_TIMEOUT_MS: z.coerce.number().int().positive().default(5000),
  NOTIFY_WEBHOOK_URL: z.string().url().optional(),
  /** Orders above this total, in minor units of their currency, fail FRAUD_SUSPECTED instead of being charged. */
  FRAUD_REVIEW_LIMIT_MINOR: z.coerce.number().int().nonnegative().default(DEFAULT_FRAUD_REVIEW_LIMIT),
  METRICS_PORT: port.default(9464),
  SDK_METRICS_PORT: port.default(9465),
  METRICS_HOST: z.string().default('127.0.0.1'),
  LOG_LEVEL: logLevel,
  SHUTDOWN_GRACE_MS: z.coerce.number().int().positive().default(30_000),
});

const gatewaySchema = z.object({
  ...databaseSchema,
  PAYMENTS_PORT: port.default(3001),
  HOST: z.string().default('127.0.0.1'),
  LOG_LEVEL: logLevel,
  /** Probability in [0, 1] that a request answers 503 before doing anything. */
  PAYMENTS_FAILURE_RATE: z.coerce.number().min(0).max(1).default(0),
  /** Added latency per request, in milliseconds. */
  PAYMENTS_LATENCY_MS: z.coerce.number().int().min(0).default(0),
  /** Seed for the fault injector, so that a run's faults can be repeated. */
  PAYMENTS_SEED: z.coerce.number().int().default(42),
});

export type ApiConfig = z.infer<typeof apiSchema>;
export type WorkerConfig = z.infer<typeof workerSchema>;
export type GatewayConfig = z.infer<typeof gatewaySchema>;

function parse<T extends z.ZodTypeAny>(schema: T, env: Env, what: string): z.infer<T> {
  const result = schema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid ${what} configuration: ${problems}`);
  }
  return result.data;
}

export const loadApiConfig = (env: Env): ApiConfig => parse(apiSchema, env, 'API');
export const loadWorkerConfig = (env: Env): WorkerConfig => parse(workerSchema, env, 'worker');
export const loadGatewayConfig = (env: Env): GatewayConfig => parse(gatewaySchema, env, 'payment gateway');
