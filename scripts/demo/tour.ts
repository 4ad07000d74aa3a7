import { randomBytes } from 'node:crypto';
import { orderWorkflowId } from '../../src/domain/order.js';
import type { OrderSummary } from '../../src/api/orders/index.js';
import { createPaymentGatewayClient } from '../../src/payments/client.js';
import type { DemoTarget } from './target.js';
import { createTranscript } from './transcript.js';
import { TOUR_STEPS, type StepOutcome, type TourStep } from './tour-steps.js';

export interface TourOptions {
  /** Where the tour's lines go. */
  out: (line: string) => void;
  /** The `temporal` binary to name in the printed CLI command. */
  temporalCli: string;
}

export interface StepReport extends StepOutcome {
  title: string;
  expected: string;
}

export interface TourReport {
  steps: StepReport[];
  /** The order shown in the Web UI and the CLI (the one whose charge was retried). */
  shownOrderId?: string;
  webUiUrl?: string;
  cliCommand?: string;
}

/** Quotes a word for a POSIX shell when it needs it. */
const shellWord = (word: string) => (/^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`);

/** The exact command that prints the order's event history, decoded through the API's codec server when payloads are encrypted. */
export function workflowShowCommand(target: DemoTarget, orderId: string, temporalCli: string): string {
  const words = [temporalCli, 'workflow', 'show', '--address', target.temporal.address, '--namespace', target.temporal.namespace, '-w', orderWorkflowId(orderId)];
  if (target.payloadsEncrypted) words.push('--codec-endpoint', `${target.apiUrl}/codec`, '--codec-auth', `Bearer ${target.adminToken}`);
  return words.map(shellWord).join(' ');
}

/** The Web UI link of the admin's Link header (src/api/orders/order-links.ts). */
const temporalUiLink = (link: string | null) => link?.match(/<([^>]+)>;\s*rel="temporal-ui"/)?.[1];

/** The closing step: the same order in the Web UI (from the admin's Link header) and in the CLI. */
function showInOperatorTools(temporalCli: string, report: TourReport): TourStep {
  return {
    title: 'The same order in the Web UI and the CLI',
    expected: 'a temporal-ui link for admins',
    async run({ transcript, target }, earlier) {
      const orderId = earlier.get('A transient gateway failure')?.orderId ?? earlier.get('A happy order')?.orderId;
      if (!orderId) return { outcome: 'no order to show', ok: false };
      transcript.say('  An admin token reads the order; its Link header points at the workflow in the Web UI.');
      const read = await transcript.call<OrderSummary>('admin', 'GET', `/orders/${orderId}`);
      report.shownOrderId = orderId;
      report.webUiUrl = temporalUiLink(read.headers.get('link'));
      report.cliCommand = workflowShowCommand(target, orderId, temporalCli);
      transcript.say(`  Web UI:  ${report.webUiUrl ?? '(no rel="temporal-ui" link: is TEMPORAL_UI_URL set on the API?)'}`);
      transcript.say(`  CLI:     ${report.cliCommand}`);
      return { outcome: report.webUiUrl ? 'Web UI link and CLI command printed' : 'no Web UI link', ok: Boolean(report.webUiUrl), orderId };
    },
  };
}

function summaryTable(steps: readonly StepReport[]): string[] {
  const rows = [
    ['#', 'step', 'expected', 'what happened', ''],
    ...steps.map((step, index) => [String(index + 1), step.title, step.expected, step.outcome, step.ok ? 'ok' : 'NOT OK']),
  ];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  const line = (row: string[]) => `  ${row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ')}`.trimEnd();
  return [line(rows[0]!), `  ${widths.map((width) => '─'.repeat(width)).join('  ')}`, ...rows.slice(1).map(line)];
}

/**
 * Walks through the seeds' flows against a running stack, printing each request and its real
 * answer, then a summary table. A step that throws is reported, and the tour goes on.
 */
export async function runTour(demoTarget: DemoTarget, { out, temporalCli }: TourOptions): Promise<TourReport> {
  const transcript = createTranscript(demoTarget, out);
  const gateway = createPaymentGatewayClient({
    baseUrl: demoTarget.gateway.url,
    timeoutMs: 5_000,
    // Only the fault controls are called, and they are signed with the admin secret.
    secret: demoTarget.gateway.adminSecret,
    adminSecret: demoTarget.gateway.adminSecret,
  });
  const context = { target: demoTarget, transcript, gateway, runId: `demo-${Date.now()}-${randomBytes(3).toString('hex')}` };
  const report: TourReport = { steps: [] };
  const earlier = new Map<string, StepOutcome>();
  const steps = [...TOUR_STEPS, showInOperatorTools(temporalCli, report)];
  for (const [index, step] of steps.entries()) {
    out('');
    out(`${index + 1}. ${step.title}  (expected: ${step.expected})`);
    let outcome: StepOutcome;
    try {
      outcome = await step.run(context, earlier);
    } catch (error) {
      outcome = { outcome: `error: ${(error as Error).message}`, ok: false };
    }
    earlier.set(step.title, outcome);
    report.steps.push({ title: step.title, expected: step.expected, ...outcome });
    out(`  ${outcome.ok ? '✓' : '✗'} ${outcome.outcome}`);
  }
  out('');
  out('Summary');
  for (const line of summaryTable(report.steps)) out(line);
  return report;
}
