import type { Client } from '@temporalio/client';
import proto, { type temporal } from '@temporalio/proto';
import { orderWorkflowId } from '../../src/domain/order.js';

type History = temporal.api.history.v1.IHistory;

/** What Temporal recorded about where one order ran. */
export interface OrderEvidence {
  orderId: string;
  /** `describe`'s versioning info: the behaviour and the version the order is pinned to. */
  behavior: string;
  pinnedBuildId: string | undefined;
  /** The build of every worker that completed one of its workflow tasks, in history order, deduplicated. */
  taskBuildIds: string[];
  /** The first activity it scheduled: which code ran it (v1 reserves first, v2 screens first). */
  firstStep: string | undefined;
  /** Workflow tasks that failed (a nondeterminism error is one): none in a clean rollout. */
  failedTasks: string[];
  history: History;
}

const BEHAVIOR_PREFIX = 'VERSIONING_BEHAVIOR_';

export async function orderEvidence(client: Client, orderId: string): Promise<OrderEvidence> {
  const handle = client.workflow.getHandle(orderWorkflowId(orderId));
  const [described, history] = await Promise.all([handle.describe(), handle.fetchHistory()]);
  const versioning = described.raw.workflowExecutionInfo?.versioningInfo;
  const events = history.events ?? [];
  const taskBuildIds = [
    ...new Set(
      events.flatMap((e) => (e.workflowTaskCompletedEventAttributes ? [e.workflowTaskCompletedEventAttributes.deploymentVersion?.buildId ?? '(unversioned)'] : [])),
    ),
  ];
  const behavior = proto.temporal.api.enums.v1.VersioningBehavior[versioning?.behavior ?? 0] ?? 'VERSIONING_BEHAVIOR_UNSPECIFIED';
  return {
    orderId,
    behavior: behavior.replace(BEHAVIOR_PREFIX, ''),
    pinnedBuildId: versioning?.deploymentVersion?.buildId ?? undefined,
    taskBuildIds,
    firstStep: events.find((e) => e.activityTaskScheduledEventAttributes)?.activityTaskScheduledEventAttributes?.activityType?.name ?? undefined,
    failedTasks: events.flatMap((e) => {
      const failed = e.workflowTaskFailedEventAttributes;
      return failed ? [`${String(failed.cause)}: ${failed.failure?.message ?? ''}`] : [];
    }),
    history,
  };
}
