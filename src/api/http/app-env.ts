import type { Client } from '@temporalio/client';
import type { Database } from '../../db/client.js';
import type { WebhookTimings } from '../../domain/webhook-timings.js';
import type { Logger } from '../../platform/logger.js';
import type { OutboundAddressPolicy } from '../../platform/outbound-address.js';
import type { WebhookSecrets } from '../../platform/webhook-secrets.js';
import type { SagaTimings } from '../../workflows/timings.js';
import type { Principal } from './principal.js';
import type { TemporalUiLocation } from '../orders/order-links.js';
import type { TemporalDeadlines } from '../orders/temporal-deadlines.js';
import type { RequestVariables } from './request-id.js';

export type AppVariables = RequestVariables & {
  /** Who the bearer token names; set by `authenticate` on every route but the public ones. */
  principal: Principal;
  /** Set by POST /orders when it placed a new order (not on an idempotent replay), for the intake counter. */
  placedOrder?: { id: string; customerId: string };
};

export type AppEnv = { Variables: AppVariables };

/** What the resource modules are built from; `createApp` hands the same deps to each. */
export interface AppDeps {
  db: Database;
  temporal: Client;
  taskQueue: string;
  logger: Logger;
  /** Saga durations for the workflows this API starts; production defaults when absent. */
  sagaTimings?: Partial<SagaTimings>;
  /** Deadlines on the Temporal calls a request makes; the defaults in temporal-deadlines.ts when absent. */
  temporalDeadlines?: Partial<TemporalDeadlines>;
  /** The Web UI that admins' order answers link to (`Link: <...>; rel="temporal-ui"`); no such link when absent. */
  temporalUi?: TemporalUiLocation;
  /** What webhook endpoints need: without it, their routes answer 503. */
  webhooks?: WebhookDeps;
}

export interface WebhookDeps {
  /** Seals each endpoint's signing secret before it is stored. */
  secrets: WebhookSecrets;
  /** Which addresses an endpoint URL may resolve to. */
  policy: OutboundAddressPolicy;
  /** The dispatchers' retry window and pacing; production defaults when absent. */
  timings?: Partial<WebhookTimings>;
}
