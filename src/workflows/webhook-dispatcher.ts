import { ActivityFailure, condition, continueAsNew, log, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { WebhookActivities, WebhookEventRef } from '../activities/webhooks/index.js';
import { DEFAULT_WEBHOOK_TIMINGS, type WebhookTimings } from '../domain/webhook-timings.js';
import { replayWebhookEventsSignal, wakeWebhookDispatcherSignal, webhookDispatcherStateQuery, type WebhookDispatcherInput } from './webhook-messages.js';

/** Reads of the feed and of the endpoint: PostgreSQL hiccups retry quickly and for as long as it takes. */
const bookkeeping = (t: WebhookTimings) =>
  proxyActivities<WebhookActivities>({ startToCloseTimeout: t.attemptTimeoutMs, retry: { initialInterval: 1_000, backoffCoefficient: 2, maximumInterval: 60_000 } });

/**
 * One event's delivery: retried with exponential backoff (the activity picks each delay and records
 * it as the next retry time) until a 2xx or the end of the retry window. The summary is the line
 * the Web UI shows for the activity.
 */
const delivery = (t: WebhookTimings, event: WebhookEventRef) =>
  proxyActivities<WebhookActivities>({
    startToCloseTimeout: t.attemptTimeoutMs,
    scheduleToCloseTimeout: t.retryWindowMs,
    retry: {
      initialInterval: t.retryInitialIntervalMs,
      backoffCoefficient: 2,
      maximumInterval: t.retryMaximumIntervalMs,
      nonRetryableErrorTypes: ['WebhookRetryWindowPassed'],
    },
    summary: `Deliver ${event.type} #${event.position} (order ${event.orderId.slice(0, 8)})`,
  }).deliverWebhook;

/** Per order, in feed order; orders apart from each other need no order between them. */
function byOrder(events: readonly WebhookEventRef[]): WebhookEventRef[][] {
  const groups = new Map<string, WebhookEventRef[]>();
  for (const event of events) groups.set(event.orderId, [...(groups.get(event.orderId) ?? []), event]);
  return [...groups.values()];
}

function describe(error: unknown): string {
  if (error instanceof ActivityFailure && error.cause) return error.cause.message;
  return error instanceof Error ? error.message : String(error);
}

/**
 * The dispatcher of one webhook endpoint: reads the event feed after its cursor, delivers each
 * batch (each order's events one after another, a few orders at once), and moves the cursor past
 * the batch only when all of it is delivered. It runs apart from the order sagas, on a task queue of
 * its own, so a receiver that is down only ever holds up its own endpoint. A delivery that fails for
 * the whole retry window disables the endpoint and ends the dispatcher; the events stay in the feed.
 */
export async function webhookDispatcherWorkflow(input: WebhookDispatcherInput): Promise<{ stopped: 'DISABLED' | 'DELETED' }> {
  const t: WebhookTimings = { ...DEFAULT_WEBHOOK_TIMINGS, ...input.timings };
  const { endpointId } = input;
  const reads = bookkeeping(t);
  let after = input.after;
  let replayFrom: number | undefined;
  let woken = false;
  let inFlight = 0;

  setHandler(replayWebhookEventsSignal, ({ after: from }) => {
    replayFrom = from;
    woken = true;
  });
  setHandler(wakeWebhookDispatcherSignal, () => {
    woken = true;
  });
  setHandler(webhookDispatcherStateQuery, () => ({ endpointId, after: replayFrom ?? after, inFlight }));

  /** Delivers a batch; returns why it failed for good, if it did. */
  async function deliverBatch(events: WebhookEventRef[]): Promise<string | undefined> {
    const queue = byOrder(events);
    let failure: string | undefined;
    const lane = async () => {
      for (let group = queue.shift(); group && !failure; group = queue.shift()) {
        for (const event of group) {
          try {
            await delivery(t, event)({ endpointId, event, retry: t });
          } catch (error) {
            failure ??= `${event.type} #${event.position}: ${describe(error)}`;
            break;
          } finally {
            inFlight -= 1;
          }
        }
      }
    };
    inFlight = events.length;
    await Promise.all(Array.from({ length: Math.min(t.ordersInParallel, queue.length) }, lane));
    inFlight = 0;
    return failure;
  }

  for (let turn = 0; turn < t.turnsPerRun && !workflowInfo().continueAsNewSuggested; turn++) {
    if (replayFrom !== undefined) {
      log.info('Replaying webhook events', { endpointId, from: replayFrom, was: after });
      [after, replayFrom] = [replayFrom, undefined];
    }
    const batch = await reads.nextWebhookEvents({ endpointId, after, limit: t.batchSize });
    if (batch.endpoint !== 'ENABLED') return { stopped: batch.endpoint };
    if (batch.events.length === 0) {
      woken = false;
      await condition(() => woken, t.pollIntervalMs);
      continue;
    }
    const failure = await deliverBatch(batch.events);
    if (failure) {
      await reads.disableWebhookEndpoint({ endpointId, reason: `Not delivered within the retry window: ${failure}` });
      return { stopped: 'DISABLED' };
    }
    after = batch.events.at(-1)!.position;
  }
  // A fresh run with the cursor (and a replay asked for meanwhile), so the history stays short.
  return continueAsNew<typeof webhookDispatcherWorkflow>({ ...input, after: replayFrom ?? after });
}
