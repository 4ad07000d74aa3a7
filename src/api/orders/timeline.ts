import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';
import { orderWorkflowId } from '../../domain/order.js';
import { localActivityOf } from '../../observability/local-activity-marker.js';
import type { Logger } from '../../platform/logger.js';
import { isCompensation } from '../../workflows/saga-steps.js';
import { orderNotFound } from './order-problems.js';
import type { TimelineEntry } from './schemas.js';
import { shownFailure } from './timeline-failure.js';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;
type Failure = temporal.api.failure.v1.IFailure;
/** Told of each failure message the timeline holds back, so the detail reaches the logs. */
type OnWithheld = (entry: TimelineEntry, failure: { type: string; message: string }) => void;
type Timestamp = { seconds?: { toString(): string } | number | null; nanos?: number | null } | null | undefined;

function iso(ts: Timestamp): string | null {
  if (!ts?.seconds) return null;
  return new Date(Number(ts.seconds.toString()) * 1000 + Math.floor((ts.nanos ?? 0) / 1e6)).toISOString();
}

const eventId = (e: HistoryEvent) => Number(e.eventId?.toString() ?? 0);
const scheduledIdOf = (attrs: { scheduledEventId?: { toString(): string } | number | null } | null | undefined) => Number(attrs?.scheduledEventId?.toString() ?? 0);

/**
 * Turns an order's event history into one entry per activity attempt, in order. Temporal records
 * only the final attempt's start, carrying the previous attempt's failure; earlier attempts appear
 * with their number and outcome, and a message only where the history kept one. A local activity
 * (the lean saga's database steps) leaves one marker when it resolves, at the time the workflow
 * recorded it: its entry has that time as `finishedAt`, and no scheduled or started time.
 */
export function timelineFromHistory(events: HistoryEvent[], onWithheld: OnWithheld = () => {}): TimelineEntry[] {
  const entries: TimelineEntry[] = [];
  /** The failure's type and safe message on the entry; a withheld message goes to `onWithheld`. */
  const describe = (entry: TimelineEntry, failure: Failure | null | undefined): TimelineEntry => {
    if (!failure) return Object.assign(entry, { failure: null, failureType: null });
    const shown = shownFailure(failure);
    Object.assign(entry, { failure: shown.message, failureType: shown.type });
    if (shown.withheld !== undefined) onWithheld(entry, { type: shown.type, message: shown.withheld });
    return entry;
  };
  const activities = new Map<number, TimelineEntry>();
  for (const event of events) {
    const at = iso(event.eventTime);
    if (event.workflowExecutionStartedEventAttributes) {
      entries.push({
        step: 'order accepted',
        kind: 'order',
        attempt: null,
        scheduledAt: at,
        startedAt: at,
        finishedAt: null,
        outcome: 'accepted',
        failure: null,
        failureType: null,
      });
    } else if (localActivityOf(event)) {
      const run = localActivityOf(event)!;
      const failed = run.failure ? (run.failure.timeoutFailureInfo || run.failure.cause?.timeoutFailureInfo ? 'timed out' : 'failed') : 'completed';
      const entry: TimelineEntry = {
        step: run.activityType,
        kind: isCompensation(run.activityType) ? 'compensation' : 'step',
        attempt: run.attempt,
        scheduledAt: null,
        startedAt: null,
        finishedAt: at,
        outcome: failed,
        failure: null,
        failureType: null,
      };
      for (let n = 1; n < run.attempt; n++) entries.push({ ...entry, attempt: n, finishedAt: null, outcome: 'failed' });
      entries.push(describe(entry, run.failure ? (run.failure.cause ?? run.failure) : null));
    } else if (event.activityTaskScheduledEventAttributes) {
      const name = event.activityTaskScheduledEventAttributes.activityType?.name ?? 'unknown';
      const entry: TimelineEntry = {
        step: name,
        kind: isCompensation(name) ? 'compensation' : 'step',
        attempt: 1,
        scheduledAt: at,
        startedAt: null,
        finishedAt: null,
        outcome: 'scheduled',
        failure: null,
        failureType: null,
      };
      activities.set(eventId(event), entry);
      entries.push(entry);
    } else if (event.activityTaskStartedEventAttributes) {
      const attrs = event.activityTaskStartedEventAttributes;
      const entry = activities.get(scheduledIdOf(attrs));
      if (!entry) continue;
      const attempt = attrs.attempt ?? 1;
      const earlier: TimelineEntry[] = [];
      for (let n = 1; n < attempt; n++) {
        earlier.push(describe({ ...entry, attempt: n, outcome: 'failed' }, n === attempt - 1 ? attrs.lastFailure : null));
      }
      entries.splice(entries.indexOf(entry), 0, ...earlier);
      Object.assign(entry, { attempt, startedAt: at, outcome: 'running' });
    } else {
      const finished =
        (event.activityTaskCompletedEventAttributes && { attrs: event.activityTaskCompletedEventAttributes, outcome: 'completed' as const, failure: null }) ||
        (event.activityTaskFailedEventAttributes && {
          attrs: event.activityTaskFailedEventAttributes,
          outcome: 'failed' as const,
          failure: event.activityTaskFailedEventAttributes.failure,
        }) ||
        (event.activityTaskTimedOutEventAttributes && {
          attrs: event.activityTaskTimedOutEventAttributes,
          outcome: 'timed out' as const,
          failure: event.activityTaskTimedOutEventAttributes.failure,
        }) ||
        (event.activityTaskCanceledEventAttributes && { attrs: event.activityTaskCanceledEventAttributes, outcome: 'cancelled' as const, failure: null });
      if (finished) {
        const entry = activities.get(scheduledIdOf(finished.attrs));
        if (entry) describe(Object.assign(entry, { finishedAt: at, outcome: finished.outcome }), finished.failure ? (finished.failure.cause ?? finished.failure) : null);
      } else if (event.workflowExecutionUpdateAcceptedEventAttributes) {
        const name = event.workflowExecutionUpdateAcceptedEventAttributes.acceptedRequest?.input?.name ?? 'update';
        entries.push({
          step: name,
          kind: 'request',
          attempt: null,
          scheduledAt: at,
          startedAt: at,
          finishedAt: null,
          outcome: 'requested',
          failure: null,
          failureType: null,
        });
      }
    }
  }
  return entries;
}

export async function orderTimeline(temporal: Client, orderId: string, logger: Logger): Promise<TimelineEntry[]> {
  try {
    const history = await temporal.workflow.getHandle(orderWorkflowId(orderId)).fetchHistory();
    return timelineFromHistory(history.events ?? [], (entry, failure) =>
      logger.warn(
        { orderId, step: entry.step, attempt: entry.attempt, failureType: failure.type, failure: failure.message },
        'Order timeline withheld a failure message',
      ),
    );
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) throw orderNotFound(orderId);
    throw error;
  }
}
