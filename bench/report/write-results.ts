import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WorkflowPhaseResult } from '../phases/workflow-phase.js';
import type { BenchResults } from './bench-results.js';
import { cdfChart, phaseChart } from './charts.js';
import { machineLine } from './machine.js';
import { writeScalingResults } from './write-scaling-results.js';
import { renderMarkdown, type Table } from './table.js';
import type { TargetCheck } from './targets.js';

/** Per-workflow facts make the charts but would bloat the JSON: the JSON keeps the figures. */
function withoutFacts<T extends WorkflowPhaseResult | undefined>(phase: T) {
  if (!phase) return undefined;
  const { facts: _facts, ...figures } = phase;
  return figures;
}

function json(value: unknown): string {
  const text = JSON.stringify(
    value,
    (_key, v: unknown) => (v instanceof Set ? [...(v as Set<unknown>)] : typeof v === 'number' && !Number.isInteger(v) ? Number(v.toFixed(3)) : v),
    2,
  );
  // Timelines are long lists of numbers: one line each keeps the files readable.
  return `${text.replace(/\[\s+(-?[\d.]+(?:,\s+-?[\d.]+)*)\s+\]/g, (_match, numbers: string) => `[${numbers.split(/,\s+/).join(', ')}]`)}\n`;
}

/** Writes one JSON file per phase, the summary (JSON and Markdown) and the charts; returns the paths. */
export function writeResults(outDir: string, results: BenchResults, tables: Table[], targets: TargetCheck[]): string[] {
  mkdirSync(outDir, { recursive: true });
  const written: string[] = [];
  const write = (name: string, content: string) => {
    writeFileSync(join(outDir, name), content);
    written.push(join(outDir, name));
  };
  const { httpFloor, apiIntake, engineFloor, orders, soak, idleLatency, inFlightScaling, millionReads, clusterScale, ...run } = results;
  if (httpFloor) write('1-http-floor.json', json(httpFloor));
  if (apiIntake) write('2-api-intake.json', json(apiIntake));
  if (engineFloor) write('3-engine-floor.json', json(withoutFacts(engineFloor)));
  if (orders) write('4-orders.json', json(withoutFacts(orders)));
  if (soak) write('5-soak.json', json(soak));
  writeScalingResults({ idleLatency, inFlightScaling, millionReads }, machineLine(run.machine), write, json);
  if (clusterScale) write('9-cluster-scale.json', json(clusterScale));
  write('summary.json', json({ ...run, targets }));
  write('summary.md', [`# Benchmark run: ${run.label}`, '', machineLine(run.machine), '', ...tables.map(renderMarkdown)].join('\n'));

  const latencies = (phase: WorkflowPhaseResult) => phase.facts.map((fact) => fact.closeMs - fact.startMs);
  if (engineFloor) {
    write(
      '3-engine-floor.svg',
      phaseChart({
        heading: `Phase 3, engine floor: ${engineFloor.count} workflows, ${engineFloor.concurrency} in flight (${machineLine(run.machine)})`,
        latencyHeading: 'Start → close (server timestamps)',
        latenciesMs: latencies(engineFloor),
        series: [
          { label: 'closed', timeline: engineFloor.completionsPerSecond },
          { label: 'started', timeline: engineFloor.startsPerSecond },
        ],
      }),
    );
  }
  if (orders) {
    write(
      '4-orders.svg',
      phaseChart({
        heading: `Phase 4, orders end to end: ${orders.count} orders, ${orders.concurrency} in flight (${machineLine(run.machine)})`,
        latencyHeading: 'Workflow start → close (server timestamps)',
        latenciesMs: latencies(orders),
        series: [
          { label: 'closed', timeline: orders.completionsPerSecond },
          { label: 'started', timeline: orders.startsPerSecond },
        ],
      }),
    );
  }
  if (engineFloor && orders) {
    write(
      'latency-cdf.svg',
      cdfChart('Workflow start → close: orders against the engine floor', [
        { label: 'engine floor (phase 3)', latenciesMs: latencies(engineFloor) },
        { label: 'orders end to end (phase 4)', latenciesMs: latencies(orders) },
      ]),
    );
  }
  return written;
}
