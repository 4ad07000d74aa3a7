import type { Client } from '@temporalio/client';
import proto from '@temporalio/proto';
import { runClosedLoop } from '../load/closed-loop.js';

/** One closed workflow as the server recorded it: its own timestamps, not the bench's clock. */
export interface WorkflowFacts {
  workflowId: string;
  status: string;
  startMs: number;
  closeMs: number;
  historyLength: number;
}

export async function describeWorkflows(client: Client, workflowIds: string[], deadlineMs: number): Promise<WorkflowFacts[]> {
  return runClosedLoop({
    count: workflowIds.length,
    concurrency: 16,
    deadlineMs,
    what: 'describing the workflows',
    task: async (index) => {
      const workflowId = workflowIds[index]!;
      const description = await client.workflow.getHandle(workflowId).describe();
      return {
        workflowId,
        status: description.status.name,
        startMs: description.startTime.getTime(),
        closeMs: description.closeTime?.getTime() ?? Number.NaN,
        historyLength: description.historyLength,
      };
    },
  });
}

export interface HistoryBreakdown {
  workflowId: string;
  events: number;
  /** Event types, shortened (`ACTIVITY_TASK_SCHEDULED`), and how often each occurs. */
  byType: Record<string, number>;
  /** What the events that are ours carry: activity types, upserted search attributes, marker names. */
  details: Record<string, Record<string, number>>;
}

// A CommonJS module: its namespaces come through the default export under ESM.
const EVENT_TYPE_NAMES = proto.temporal.api.enums.v1.EventType;

/** The history event by event, so the report can say what each part of a workflow costs. */
export async function historyBreakdown(client: Client, workflowId: string): Promise<HistoryBreakdown> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const byType: Record<string, number> = {};
  const details: Record<string, Record<string, number>> = {};
  const note = (type: string, what: string | null | undefined) => {
    if (!what) return;
    const counts = (details[type] ??= {});
    counts[what] = (counts[what] ?? 0) + 1;
  };
  for (const event of history.events ?? []) {
    const name = (EVENT_TYPE_NAMES[event.eventType ?? 0] ?? String(event.eventType)).replace(/^EVENT_TYPE_/, '');
    byType[name] = (byType[name] ?? 0) + 1;
    note(name, event.activityTaskScheduledEventAttributes?.activityType?.name);
    note(name, event.markerRecordedEventAttributes?.markerName);
    for (const key of Object.keys(event.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields ?? {})) note(name, key);
  }
  return { workflowId, events: history.events?.length ?? 0, byType, details };
}

/** Workflows whose histories differ in length from the others are worth a look: retries, timeouts. */
export function historyLengths(facts: WorkflowFacts[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { historyLength } of facts) counts[historyLength] = (counts[historyLength] ?? 0) + 1;
  return counts;
}
