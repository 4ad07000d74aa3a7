import { z } from 'zod';
import { databaseSchema, listenHost, logLevel, parseConfig, port, type Env } from '../../src/platform/config.js';

/** The simulator's settings: where it listens, its own tables' database, and the faults it plays. */
export const gatewaySchema = z.object({
  ...databaseSchema,
  PAYMENTS_PORT: port.default(3001),
  HOST: listenHost,
  LOG_LEVEL: logLevel,
  /** Probability in [0, 1] that a request answers 503 before doing anything. */
  PAYMENTS_FAILURE_RATE: z.coerce.number().min(0).max(1).default(0),
  /** Added latency per request, in milliseconds. */
  PAYMENTS_LATENCY_MS: z.coerce.number().int().min(0).default(0),
  /** Seed for the fault injector, so that a run's faults can be repeated. */
  PAYMENTS_SEED: z.coerce.number().int().default(42),
  /** The HMAC secret the payment client signs with (request-signing.ts); no default, the simulator never runs open. */
  PAYMENT_GATEWAY_SECRET: z.string().min(16, 'must be at least 16 characters'),
  /** The secret of the simulator's admin routes (fault injection), apart from the client's. */
  PAYMENTS_ADMIN_SECRET: z.string().min(16, 'must be at least 16 characters'),
});

export type GatewayConfig = z.infer<typeof gatewaySchema>;

export const loadGatewayConfig = (env: Env): GatewayConfig => parseConfig(gatewaySchema, env, 'payment gateway');
