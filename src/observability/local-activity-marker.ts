import type { temporal } from '@temporalio/proto';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/** The marker core records for a local activity once it resolves (sdk-core, `LocalActivityMarkerData`). */
export const LOCAL_ACTIVITY_MARKER = 'core_local_activity';

export interface LocalActivityRun {
  activityType: string;
  /** The attempt that resolved it: earlier local attempts leave no event of their own. */
  attempt: number;
  /** Set when the local attempts gave up (the workflow then ran the durable activity) or the step refused. */
  failure: temporal.api.failure.v1.IFailure | null;
}

/**
 * What a `core_local_activity` marker says, or nothing for any other event. Core writes its
 * `data` detail as plain JSON itself, so no payload codec applies to it (the `result` detail is
 * the activity's own payload, encoded like any other, and is not read here).
 */
export function localActivityOf(event: HistoryEvent): LocalActivityRun | undefined {
  const marker = event.markerRecordedEventAttributes;
  if (marker?.markerName !== LOCAL_ACTIVITY_MARKER) return undefined;
  const data = marker.details?.data?.payloads?.[0]?.data;
  if (!data) return undefined;
  try {
    const parsed = JSON.parse(new TextDecoder().decode(data)) as { activity_type?: unknown; attempt?: unknown };
    if (typeof parsed.activity_type !== 'string') return undefined;
    return { activityType: parsed.activity_type, attempt: typeof parsed.attempt === 'number' ? parsed.attempt : 1, failure: marker.failure ?? null };
  } catch {
    return undefined;
  }
}
