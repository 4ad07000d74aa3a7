import proto from '@temporalio/proto';
import { describe, expect, it } from 'vitest';
import { activityQueued, activityRunning, ANSWER, BETWEEN, INTAKE, splitRoundTrip, WFT_QUEUED, WFT_RUNNING } from './round-trip-split.js';

const EventType = proto.temporal.api.enums.v1.EventType;
const { HistoryEvent } = proto.temporal.api.history.v1;

/** A history written as (ms since the POST, event) pairs, numbered from 1; `fromObject` makes the numbers protobuf's Longs. */
function history(...entries: [atMs: number, event: Record<string, unknown>][]) {
  return entries.map(([atMs, event], index) =>
    HistoryEvent.fromObject({
      ...event,
      eventId: index + 1,
      eventTime: { seconds: Math.floor((SENT + atMs) / 1000), nanos: ((SENT + atMs) % 1000) * 1e6 },
    }),
  );
}
const SENT = 1_700_000_000_000;

describe('splitRoundTrip', () => {
  it('gives every millisecond of a one-activity order to the step that was open, the answer included', () => {
    const events = history(
      [10, { eventType: EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED }],
      [10, { eventType: EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED }],
      [14, { eventType: EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED, workflowTaskStartedEventAttributes: { scheduledEventId: 2 } }],
      [20, { eventType: EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED, workflowTaskCompletedEventAttributes: { scheduledEventId: 2 } }],
      [20, { eventType: EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED, activityTaskScheduledEventAttributes: { activityType: { name: 'reserveStock' } } }],
      [23, { eventType: EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED, activityTaskStartedEventAttributes: { scheduledEventId: 5 } }],
      [40, { eventType: EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED, activityTaskCompletedEventAttributes: { scheduledEventId: 5 } }],
      [42, { eventType: EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED }],
      [45, { eventType: EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED, workflowTaskStartedEventAttributes: { scheduledEventId: 8 } }],
      [50, { eventType: EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED, workflowTaskCompletedEventAttributes: { scheduledEventId: 8 } }],
      [50, { eventType: EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED }],
      [51, { eventType: EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED }],
    );

    const spent = splitRoundTrip(events, SENT, SENT + 58);

    expect(Object.fromEntries(spent)).toEqual({
      [INTAKE]: 10,
      [WFT_QUEUED]: 4 + 3,
      [WFT_RUNNING]: 6 + 5,
      [activityQueued('reserveStock')]: 3,
      [activityRunning('reserveStock')]: 17,
      [BETWEEN]: 2,
      [ANSWER]: 8,
    });
    expect([...spent.values()].reduce((sum, ms) => sum + ms, 0)).toBe(58);
  });

  it('stops at the answer: what the workflow does after it is not part of the round trip', () => {
    const events = history(
      [5, { eventType: EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED }],
      [5, { eventType: EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED }],
      [5, { eventType: EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED, activityTaskScheduledEventAttributes: { activityType: { name: 'notifyCustomer' } } }],
      [90, { eventType: EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED, activityTaskStartedEventAttributes: { scheduledEventId: 3 } }],
    );

    expect(Object.fromEntries(splitRoundTrip(events, SENT, SENT + 20))).toEqual({ [INTAKE]: 5, [ANSWER]: 15 });
  });
});
