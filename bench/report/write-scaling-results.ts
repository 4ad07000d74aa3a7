import type { BenchResults } from './bench-results.js';
import { inFlightChart } from './scaling-chart.js';

/** Phases 6–8's files: a JSON each, phase 7's chart, and phase 8's query plans as Markdown. */
export function writeScalingResults(
  { idleLatency, inFlightScaling, millionReads }: Pick<BenchResults, 'idleLatency' | 'inFlightScaling' | 'millionReads'>,
  machine: string,
  write: (name: string, content: string) => void,
  json: (value: unknown) => string,
): void {
  if (idleLatency) write('6-idle-latency.json', json(idleLatency));
  if (inFlightScaling) {
    write('7-in-flight-scaling.json', json(inFlightScaling));
    write('7-in-flight-scaling.svg', inFlightChart(`Phase 7, orders end to end against orders in flight (${machine})`, inFlightScaling));
  }
  if (millionReads) {
    write('8-million-reads.json', json(millionReads));
    write('8-million-reads-plans.md', plansMarkdown(millionReads, machine));
  }
}

function plansMarkdown({ plans, small, large }: NonNullable<BenchResults['millionReads']>, machine: string): string {
  const sizes = { small: small.orders, large: small.orders + large.orders };
  const lines = [
    '# Phase 8: the plans of the order reads',
    '',
    `${machine}. Each statement is what the API's read function sent (recorded on the connection), explained with`,
    'the parameters it sent (`EXPLAIN (ANALYZE, BUFFERS)`) and as the generic plan a prepared statement may',
    'switch to (`EXPLAIN (GENERIC_PLAN)`).',
    '',
  ];
  for (const { read, size, plans: statements } of plans) {
    lines.push(`## ${read}, ${sizes[size].toLocaleString('en-US')} orders`, '');
    for (const plan of statements) {
      lines.push('```sql', plan.statement, `-- parameters: ${JSON.stringify(plan.parameters)}`, '```', '');
      lines.push(plan.seqScans.length > 0 ? `**Seq Scan on ${plan.seqScans.join(', ')}**` : 'No Seq Scan on orders or order_items.', '');
      lines.push('```', plan.analyzed, '```', '', 'Generic plan:', '', '```', plan.generic, '```', '');
    }
  }
  return lines.join('\n');
}
