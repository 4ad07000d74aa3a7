import type { Violation } from '../invariants/index.js';
import type { ExperimentResult } from '../run/run-experiment.js';

const HEADER = [
  'experiment',
  'orders sent',
  'accepted',
  'completed',
  'failed by reason',
  'cancelled',
  'violations',
  'drain after fault',
  'retried tasks (activity / workflow task)',
  'API answers (during the fault)',
  'API 500s',
  'gateway calls the breaker saved',
];

const reasons = (byReason: Record<string, number>) =>
  Object.entries(byReason)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([reason, count]) => `${reason} ${count}`)
    .join(', ') || '0';

function row(result: ExperimentResult): string[] {
  const failed = Object.values(result.failedByReason).reduce((a, b) => a + b, 0);
  return [
    result.name,
    result.posts > result.sent ? `${result.sent} (${result.posts} POSTs)` : String(result.sent),
    String(result.accepted),
    String(result.completed),
    failed ? `${failed}: ${reasons(result.failedByReason)}` : '0',
    String(result.cancelled),
    String(result.violations.length),
    result.drainSeconds === undefined ? 'NOT DRAINED' : `${result.drainSeconds.toFixed(1)} s`,
    `${result.retries.activityRetries} / ${result.retries.workflowTaskTimeouts + result.retries.workflowTaskFailures}`,
    `${result.apiStatuses}${result.apiStatusesDuringFault ? ` (${result.apiStatusesDuringFault})` : ''}`,
    String(result.api500s),
    result.breakerShortCircuits === undefined ? '–' : String(result.breakerShortCircuits),
  ];
}

/** The issue's table, as Markdown, for the terminal and the README alike. */
export function resultTable(results: readonly ExperimentResult[]): string {
  const lines = [HEADER, HEADER.map(() => '---'), ...results.map(row)];
  return lines.map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

const describeViolation = (v: Violation) => `  ${v.group}/${v.rule} ${v.orderId ?? v.sku ?? ''}: ${v.detail}`;

/** What the table cannot say: the fault, the notes, the breaker, crashes, and every violation by name. */
export function resultDetails(result: ExperimentResult): string {
  const lines = [`${result.name}: ${result.fault} (seed ${result.seed})`];
  for (const note of result.notes) lines.push(`  ${note}`);
  if (result.cancelStatuses) lines.push(`  cancel answers: ${result.cancelStatuses}`);
  if (result.reconciled > 0) lines.push(`  orphaned orders the reconciler started: ${result.reconciled}`);
  lines.push(`  circuit breaker (${'payment_gateway_calls_short_circuited_total'}): ${result.breakerShortCircuits ?? 'no such metric on the worker'}`);
  if (result.crashes.length > 0) lines.push(`  processes that died unasked: ${result.crashes.join(', ')}`);
  lines.push(...result.violations.slice(0, 50).map(describeViolation));
  if (result.violations.length > 50) lines.push(`  … and ${result.violations.length - 50} more`);
  lines.push(`  log: ${result.logFile}`);
  return lines.join('\n');
}

/** A run passes when it drained, broke no rule, and nothing died that it did not kill. */
export const passed = (result: ExperimentResult) => result.violations.length === 0 && result.drainSeconds !== undefined && result.crashes.length === 0;
