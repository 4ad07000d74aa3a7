import { eq } from 'drizzle-orm';
import { withdrawOrderEvents } from '../../db/order-event-log.js';
import { orders } from '../../db/schema.js';
import type { AppDeps } from '../http/app-env.js';
import { ProblemError } from '../http/problem.js';
import { whetherOrderWorkflowStarted } from './start-certainty.js';
import { DEFAULT_TEMPORAL_DEADLINES } from './temporal-deadlines.js';

type FailedStartDeps = Pick<AppDeps, 'db' | 'temporal' | 'logger' | 'temporalDeadlines'>;

/**
 * Decides what becomes of an order whose workflow start threw. Its row is deleted only when the
 * workflow certainly did not start and no Idempotency-Key can lead a retry back to it: deleting the
 * row of a running saga would charge a customer for an order nobody can see. Returns when the
 * workflow did start (the order is accepted); otherwise throws a 503 that names the kept order, so
 * the client polls it rather than placing a second one, and the reconciler starts or settles it.
 */
export async function settleFailedStart(deps: FailedStartDeps, orderId: string, startError: unknown, idempotencyKey: string | undefined): Promise<void> {
  const describeMs = deps.temporalDeadlines?.callMs ?? DEFAULT_TEMPORAL_DEADLINES.callMs;
  const certainty = await whetherOrderWorkflowStarted(deps.temporal, orderId, startError, describeMs);
  deps.logger.warn({ err: startError, orderId, certainty }, 'Starting the order workflow failed');
  if (certainty === 'started') return;
  if (certainty === 'not-started' && !idempotencyKey) {
    await deps.db.transaction(async (tx) => {
      await withdrawOrderEvents(tx, orderId);
      await tx.delete(orders).where(eq(orders.id, orderId));
    });
    throw new ProblemError(503, 'temporal-unavailable', 'Order service temporarily unavailable', 'The order could not be started and was not placed. Retry.', undefined, {
      'retry-after': '1',
    });
  }
  const detail =
    certainty === 'not-started'
      ? `Order ${orderId} was recorded but could not be started yet. Retry with the same Idempotency-Key.`
      : `Order ${orderId} was recorded, and whether it started is not known yet: it will be started or settled shortly. Poll its Location instead of placing it again.`;
  throw new ProblemError(
    503,
    'temporal-unavailable',
    'Order service temporarily unavailable',
    detail,
    undefined,
    { 'retry-after': '1', location: `/orders/${orderId}` },
    orderId,
  );
}
