import proto from '@temporalio/proto';

type HistoryEvent = proto.temporal.api.history.v1.IHistoryEvent;

/** An event's time in milliseconds, fractions kept: the steps of an idle order are a few ms each. */
const eventMs = (event: HistoryEvent) => Number(event.eventTime?.seconds ?? 0) * 1000 + (event.eventTime?.nanos ?? 0) / 1e6;

// A CommonJS module: its namespaces come through the default export under ESM.
const EventType = proto.temporal.api.enums.v1.EventType;

/** The steps a `Prefer: wait` round trip is split into, in the order they first happen. */
export const INTAKE = 'intake: POST → workflow started (API, PostgreSQL, the start)';
export const WFT_QUEUED = 'workflow tasks: scheduled → started (waiting for the worker)';
export const WFT_RUNNING = 'workflow tasks: started → completed (worker; local activities run here)';
export const BETWEEN = 'server, between steps (nothing scheduled)';
export const ANSWER = 'answer: outcome update completed → response received';
export const activityQueued = (type: string) => `${type}: scheduled → started`;
export const activityRunning = (type: string) => `${type}: started → completed`;

interface Open {
  label: string;
  since: number;
}

/**
 * Splits one order's round trip, from the bench sending POST /orders to it reading the answer,
 * into the steps its history's timestamps show: each millisecond goes to what was open then
 * (a workflow task or an activity, queued or running), to the intake before the workflow's start,
 * to the answer once the outcome update has completed, or else to the server between steps.
 * Every event's time is the server's; the bench's clock is the same machine's.
 */
export function splitRoundTrip(events: HistoryEvent[], sentMs: number, receivedMs: number): Map<string, number> {
  const spent = new Map<string, number>();
  const add = (label: string, ms: number) => spent.set(label, (spent.get(label) ?? 0) + ms);
  const open = new Map<number, Open>();
  const activityTypes = new Map<number, string>();
  let started = false;
  let answered = false;
  let at = sentMs;
  const current = (): string => {
    if (!started) return INTAKE;
    if (answered) return ANSWER;
    const latest = [...open.values()].sort((a, b) => b.since - a.since)[0];
    return latest?.label ?? BETWEEN;
  };
  const advance = (to: number) => {
    const clipped = Math.min(Math.max(to, at), receivedMs);
    if (clipped > at) add(current(), clipped - at);
    at = clipped;
  };
  for (const event of events) {
    const time = eventMs(event);
    advance(time);
    const id = Number(event.eventId);
    switch (event.eventType) {
      case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED:
        started = true;
        break;
      case EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED:
        open.set(id, { label: WFT_QUEUED, since: time });
        break;
      case EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED: {
        const scheduled = Number(event.workflowTaskStartedEventAttributes?.scheduledEventId);
        open.delete(scheduled);
        open.set(scheduled, { label: WFT_RUNNING, since: time });
        break;
      }
      case EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED:
      case EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED:
      case EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT:
        open.delete(Number(closingScheduledId(event)));
        break;
      case EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED: {
        const type = event.activityTaskScheduledEventAttributes?.activityType?.name ?? 'activity';
        activityTypes.set(id, type);
        open.set(id, { label: activityQueued(type), since: time });
        break;
      }
      case EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED: {
        const scheduled = Number(event.activityTaskStartedEventAttributes?.scheduledEventId);
        open.set(scheduled, { label: activityRunning(activityTypes.get(scheduled) ?? 'activity'), since: time });
        break;
      }
      case EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED:
      case EventType.EVENT_TYPE_ACTIVITY_TASK_FAILED:
      case EventType.EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT:
      case EventType.EVENT_TYPE_ACTIVITY_TASK_CANCELED:
        open.delete(Number(closingScheduledId(event)));
        break;
      case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED:
        answered = true;
        break;
      default:
        break;
    }
  }
  advance(receivedMs);
  return spent;
}

function closingScheduledId(event: HistoryEvent): unknown {
  return (
    event.workflowTaskCompletedEventAttributes?.scheduledEventId ??
    event.workflowTaskFailedEventAttributes?.scheduledEventId ??
    event.workflowTaskTimedOutEventAttributes?.scheduledEventId ??
    event.activityTaskCompletedEventAttributes?.scheduledEventId ??
    event.activityTaskFailedEventAttributes?.scheduledEventId ??
    event.activityTaskTimedOutEventAttributes?.scheduledEventId ??
    event.activityTaskCanceledEventAttributes?.scheduledEventId
  );
}
