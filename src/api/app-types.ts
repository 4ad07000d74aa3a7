import type { Client } from '@temporalio/client';
import type { Hook } from '@hono/zod-openapi';
import type { Database } from '../db/client.js';
import type { Logger } from '../platform/logger.js';
import type { SagaTimings } from '../workflows/timings.js';
import type { RequestVariables } from './middleware/request-id.js';

export type AppEnv = { Variables: RequestVariables };

export interface AppDeps {
  db: Database;
  temporal: Client;
  taskQueue: string;
  logger: Logger;
  sagaTimings?: Partial<SagaTimings>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  validationHook: Hook<any, AppEnv, any, any>;
}
