import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { inject } from 'vitest';
import { waitFor } from '../../devstack/wait-for.js';

/**
 * Resets a closed workflow to its first workflow task with the real `temporal` CLI, as an operator
 * types it, and returns the handle of the run the reset started: every step runs again.
 */
export async function resetToFirstWorkflowTask(client: Client, workflowId: string, reason: string): Promise<WorkflowHandle> {
  const { runId: resetRunId } = (await client.workflow.getHandle(workflowId).describe()) as { runId: string };
  await promisify(execFile)(
    inject('temporalCliPath'),
    [
      'workflow',
      'reset',
      '--workflow-id',
      workflowId,
      '--type',
      'FirstWorkflowTask',
      '--reason',
      reason,
      '--address',
      inject('temporalAddress'),
      '--namespace',
      'default',
    ],
    { env: { PATH: process.env.PATH, HOME: process.env.HOME } },
  );
  const newRunId = await waitFor(`the reset of ${workflowId} to start a new run`, async () => {
    const { runId } = await client.workflow.getHandle(workflowId).describe();
    if (runId === resetRunId) throw new Error(`still run ${runId}`);
    return runId;
  });
  return client.workflow.getHandle(workflowId, newRunId);
}
