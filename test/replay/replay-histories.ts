import { Worker, type ReplayWorkerOptions } from '@temporalio/worker';
import { parseHistory, type HistoryFile } from './history-files.js';

export interface ReplayOutcome {
  file: string;
  error?: Error;
}

/**
 * Replays each file against a workflow bundle, one replay worker for all of them, with no server.
 * The replayer reports each history under the workflow ID it was given: here, its file name.
 */
export async function replayHistoryFiles(workflowBundle: ReplayWorkerOptions['workflowBundle'], files: HistoryFile[]): Promise<ReplayOutcome[]> {
  const histories = files.map((file) => ({ workflowId: file.file, history: parseHistory(file) }));
  const outcomes: ReplayOutcome[] = [];
  for await (const { workflowId, error } of Worker.runReplayHistories({ workflowBundle, replayName: 'order-history-replay' }, histories)) {
    outcomes.push({ file: workflowId, error });
  }
  return outcomes;
}

/** One line per failed file: its name, the error class, and the SDK's message naming the mismatched command. */
export function replayFailures(outcomes: ReplayOutcome[]): string[] {
  return outcomes.flatMap(({ file, error }) => (error ? [`${file}: ${error.name}: ${error.message}`] : []));
}
