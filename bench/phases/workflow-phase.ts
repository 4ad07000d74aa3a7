import { runClosedLoop } from '../load/closed-loop.js';
import { cpuBetween, cpuSnapshot, threadCpuBetween, threadCpuSeconds, type CpuUse } from '../measure/processes.js';
import { distribution, ratePerSecond, timeline, type Distribution, type Timeline } from '../measure/stats.js';
import { describeWorkflows, historyBreakdown, historyLengths, type HistoryBreakdown, type WorkflowFacts } from '../measure/workflow-facts.js';
import type { PhaseContext } from './phase-context.js';

/** What phases 3 and 4 both report, from the Temporal server's own timestamps. */
export interface WorkflowPhaseResult {
  count: number;
  concurrency: number;
  wallMs: number;
  /** Workflows closed per second, from the first start to the last close. */
  completedPerSecond: number;
  /** Start to close, as the server recorded them. */
  latencyMs: Distribution;
  /** From the bench's request to the bench seeing the result: includes the client's round trips. */
  clientLatencyMs: Distribution;
  historyEvents: { typical: number; lengths: Record<string, number>; breakdown: HistoryBreakdown };
  startsPerSecond: Timeline;
  completionsPerSecond: Timeline;
  cpu: Record<string, CpuUse>;
  /** CPU seconds by thread of the process that runs the workflows' worker, during the measured part. */
  workerThreads: Record<string, number>;
  facts: WorkflowFacts[];
}

export interface Started {
  workflowId: string;
  /** Resolves once the workflow has closed. */
  closed: Promise<unknown>;
}

/**
 * Keeps `concurrency` workflows in flight until `count` have closed, after one round of warm-up
 * that is not counted. Then reads every workflow's start, close and history length from the server.
 */
export async function runWorkflowPhase(
  { settings, bench, progress }: PhaseContext,
  what: string,
  workerPid: number,
  start: (index: number) => Promise<Started>,
): Promise<WorkflowPhaseResult> {
  const { workflows: count, workflowConcurrency: concurrency, phaseTimeoutMs } = settings;
  const runOne = async (index: number) => {
    const sentAt = Date.now();
    const { workflowId, closed } = await start(index);
    await closed;
    return { workflowId, clientMs: Date.now() - sentAt };
  };
  await runClosedLoop({ count: concurrency, concurrency, deadlineMs: phaseTimeoutMs, what: `${what} (warm-up)`, task: (index) => runOne(count + index) });

  progress(`${what}: ${count} workflows, ${concurrency} in flight`);
  const before = cpuSnapshot();
  const threadsBefore = threadCpuSeconds(workerPid);
  const startedAt = Date.now();
  const runs = await runClosedLoop({ count, concurrency, deadlineMs: phaseTimeoutMs, what, task: runOne });
  const wallMs = Date.now() - startedAt;
  const cpu = cpuBetween(before, cpuSnapshot(), wallMs);
  const workerThreads = threadCpuBetween(threadsBefore, threadCpuSeconds(workerPid));

  const facts = await describeWorkflows(
    bench.temporal,
    runs.map((run) => run.workflowId),
    phaseTimeoutMs,
  );
  const notCompleted = facts.filter((fact) => fact.status !== 'COMPLETED');
  if (notCompleted.length > 0) {
    throw new Error(`${what}: ${notCompleted.length} workflows did not complete (e.g. ${notCompleted[0]!.workflowId}: ${notCompleted[0]!.status})`);
  }
  const firstStart = Math.min(...facts.map((fact) => fact.startMs));
  const lastClose = Math.max(...facts.map((fact) => fact.closeMs));
  const lengths = historyLengths(facts);
  const typical = Number(Object.entries(lengths).sort((a, b) => b[1] - a[1])[0]![0]);
  const example = facts.find((fact) => fact.historyLength === typical)!;
  return {
    count,
    concurrency,
    wallMs,
    completedPerSecond: ratePerSecond(count, lastClose - firstStart),
    latencyMs: distribution(facts.map((fact) => fact.closeMs - fact.startMs)),
    clientLatencyMs: distribution(runs.map((run) => run.clientMs)),
    historyEvents: { typical, lengths, breakdown: await historyBreakdown(bench.temporal, example.workflowId) },
    startsPerSecond: timeline(
      facts.map((fact) => fact.startMs),
      1000,
      firstStart,
    ),
    completionsPerSecond: timeline(
      facts.map((fact) => fact.closeMs),
      1000,
      firstStart,
    ),
    cpu,
    workerThreads,
    facts,
  };
}
