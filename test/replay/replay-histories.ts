import { Worker, type ReplayWorkerOptions } from '@temporalio/worker';
import { TEST_DATA_CONVERTER } from '../support/payload-codec.js';
import { isEncryptedHistory, parseHistory, type HistoryFile } from './history-files.js';

export interface ReplayOutcome {
  file: string;
  error?: Error;
}

/** The converter a file was written with: the suite's codec for `*.encrypted.json`, the SDK's plain JSON for the rest. */
export const converterFor = (file: HistoryFile): ReplayWorkerOptions['dataConverter'] => (isEncryptedHistory(file.file) ? TEST_DATA_CONVERTER : undefined);

/**
 * Replays each file against a workflow bundle, with no server: one replay worker per converter, each
 * history with the converter it was written with. Outcomes come back in the files' order, each under
 * the workflow ID the replayer was given: the file's name.
 */
export async function replayHistoryFiles(
  workflowBundle: ReplayWorkerOptions['workflowBundle'],
  files: HistoryFile[],
  converterOf: (file: HistoryFile) => ReplayWorkerOptions['dataConverter'] = converterFor,
): Promise<ReplayOutcome[]> {
  const byConverter = new Map<ReplayWorkerOptions['dataConverter'], HistoryFile[]>();
  for (const file of files) byConverter.set(converterOf(file), [...(byConverter.get(converterOf(file)) ?? []), file]);
  const outcomes = new Map<string, ReplayOutcome>();
  for (const [dataConverter, group] of byConverter) {
    const histories = group.map((file) => ({ workflowId: file.file, history: parseHistory(file) }));
    for await (const { workflowId, error } of Worker.runReplayHistories({ workflowBundle, dataConverter, replayName: 'order-history-replay' }, histories)) {
      outcomes.set(workflowId, { file: workflowId, error });
    }
  }
  return files.map((file) => outcomes.get(file.file) ?? { file: file.file, error: new Error('the replayer reported nothing for this file') });
}

/** One line per failed file: its name, the error class, and the SDK's message naming the mismatched command. */
export function replayFailures(outcomes: ReplayOutcome[]): string[] {
  return outcomes.flatMap(({ file, error }) => (error ? [`${file}: ${error.name}: ${error.message}`] : []));
}
