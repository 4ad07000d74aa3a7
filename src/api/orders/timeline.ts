import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';
import { orderWorkflowId } from '../../domain/order.js';
import { isCompensation } from '../../workflows/saga-steps.js';
import { orderNotFound } from './order-problems.js';
import type { TimelineEntry } from './schemas.js';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;
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
 * with their number and outcome, and a message only where the history kept one.
 */
export function timelineFromHistory(events: HistoryEvent[]): TimelineEntry[] {
  const entries: TimelineEntry[] = [];
  const activities = new Map<number, TimelineEntry>();
  for (const event of events) {
    const at = iso(event.eventTime);
    if (event.workflowExecutionStartedEventAttributes) {
      entries.push({ step: 'order accepted', kind: 'order', attempt: null, scheduledAt: at, startedAt: at, finishedAt: null, outcome: 'accepted', failure: null });
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
        earlier.push({ ...entry, attempt: n, outcome: 'failed', failure: n === attempt - 1 ? (attrs.lastFailure?.message ?? null) : null });
      }
      entries.splice(entries.indexOf(entry), 0, ...earlier);
      Object.assign(entry, { attempt, startedAt: at, outcome: 'running' });
    } else {
      const finished =
        (event.activityTaskCompletedEventAttributes && { attrs: event.activityTaskCompletedEventAttributes, outcome: 'completed' as const, failure: null }) ||
        (event.activityTaskFailedEventAttributes && { attrs: event.activityTaskFailedEventAttributes, outcome: 'failed' as const, failure: event.activityTaskFailedEventAttributes.failure }) ||
        (event.activityTaskTimedOutEventAttributes && { attrs: event.activityTaskTimedOutEventAttributes, outcome: 'timed out' as const, failure: event.activityTaskTimedOutEventAttributes.failure }) ||
        (event.activityTaskCanceledEventAttributes && { attrs: event.activityTaskCanceledEventAttributes, outcome: 'cancelled' as const, failure: null });
      if (finished) {
        const entry = activities.get(scheduledIdOf(finished.attrs));
        if (entry) Object.assign(entry, { finishedAt: at, outcome: finished.outcome, failure: finished.failure ? (finished.failure.cause?.message ?? finished.failure.message ?? null) : null });
      } else if (event.workflowExecutionUpdateAcceptedEventAttributes) {
        const name = event.workflowExecutionUpdateAcceptedEventAttributes.acceptedRequest?.input?.name ?? 'update';
        entries.push({ step: name, kind: 'request', attempt: null, scheduledAt: at, startedAt: at, finishedAt: null, outcome: 'requested', failure: null });
      }
    }
  }
  return entries;
}

export async function orderTimeline(temporal: Client, orderId: string): Promise<TimelineEntry[]> {
  try {
    const history = await temporal.workflow.getHandle(orderWorkflowId(orderId)).fetchHistory();
    return timelineFromHistory(history.events ?? []);
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) throw orderNotFound(orderId);
    throw error;
  }
}
