import type { WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { waitFor } from '../../devstack/wait-for.js';

export type PendingActivity = temporal.api.workflow.v1.IPendingActivityInfo;

export const isRunning = (activity: PendingActivity) => activity.state === temporal.api.enums.v1.PendingActivityState.PENDING_ACTIVITY_STATE_STARTED;
/** Its first attempt has failed and the next is due. */
export const isRetrying = (activity: PendingActivity) => (activity.attempt ?? 0) >= 2;

/**
 * Resolves once the workflow has `activity` pending and `ready` holds for it, as the server
 * describes it: how a scenario knows a step is in flight or retrying before it acts.
 */
export async function waitForPendingActivity(
  handle: WorkflowHandle,
  activity: string,
  ready: (pending: PendingActivity) => boolean = () => true,
): Promise<PendingActivity> {
  return waitFor(`${handle.workflowId} to have ${activity} pending`, async () => {
    const { raw } = await handle.describe();
    const pending = raw.pendingActivities?.find((a) => a.activityType?.name === activity);
    return pending && ready(pending) ? pending : undefined;
  });
}
