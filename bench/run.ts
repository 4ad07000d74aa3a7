/**
 * `npm run bench [-- --quick | --soak | --help]`: starts the dev stack on free ports, runs the phases,
 * prints a table for each and writes JSON and SVG under bench/results/. See bench/README.md.
 */
import { randomBytes } from 'node:crypto';
import { relative } from 'node:path';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { REPO_ROOT } from '../devstack/repo-root.js';
import { startBenchStack, type BenchStack } from './bench-stack.js';
import { runApiIntake } from './phases/api-intake.js';
import { runClusterScale } from './phases/cluster-scale.js';
import { runEngineFloor } from './phases/engine-floor.js';
import { runHttpFloor } from './phases/http-floor.js';
import { runIdleLatency } from './phases/idle-latency.js';
import { runInFlightScaling } from './phases/in-flight-scaling.js';
import { runMillionReads } from './phases/million-reads.js';
import { runOrders } from './phases/orders.js';
import type { PhaseContext } from './phases/phase-context.js';
import { runSoak } from './phases/soak.js';
import type { BenchResults } from './report/bench-results.js';
import { clusterScaleTables } from './report/cluster-tables.js';
import { describeMachine, machineLine } from './report/machine.js';
import { httpTables, soakTables, workflowTables } from './report/phase-tables.js';
import { idleLatencyTables, inFlightScalingTables, millionReadsTables } from './report/scaling-tables.js';
import { scalingTargets } from './report/scaling-targets.js';
import { renderText, type Table } from './report/table.js';
import { checkTargets, targetsTable } from './report/targets.js';
import { writeResults } from './report/write-results.js';
import { workerExperimentEnv } from './experiments/worker-experiment.js';
import { parseBenchSettings, SCRATCH_DIR } from './settings.js';

const settings = parseBenchSettings(process.argv.slice(2));
// The floor worker's runtime: its lifecycle news at INFO would interleave with the tables.
Runtime.install({ logger: new DefaultLogger('WARN') });
const began = Date.now();
const say = (message: string) => process.stdout.write(`[bench ${((Date.now() - began) / 1000).toFixed(0).padStart(4)}s] ${message}\n`);
const show = (tables: Table[]) => {
  for (const table of tables) process.stdout.write(`${renderText(table)}\n`);
  process.stdout.write('\n');
  return tables;
};

const { outDir: _outDir, ...settingsToRecord } = settings;
const results: BenchResults = { label: settings.label, machine: describeMachine(), settings: settingsToRecord };
say(`${settings.label} run on ${machineLine(results.machine)}; SQLite pragmas: ${settings.sqlitePragmas.join(' ') || 'none'}`);

let bench: BenchStack | undefined;
let failed = false;
// A second Ctrl-C is not needed: the first stops the stack and ends the run.
const interrupt = () => {
  say('interrupted: stopping the stack');
  void (bench?.stop() ?? Promise.resolve()).finally(() => process.exit(130));
};
process.once('SIGINT', interrupt);
process.once('SIGTERM', interrupt);

const tables: Table[] = [];
try {
  say('starting the stack (Temporal dev server, PostgreSQL, gateway, worker, API) on free ports');
  const experiment = await workerExperimentEnv({ ...settings, scratchDir: SCRATCH_DIR, env: settings.stackEnv });
  if (Object.keys(experiment).length > 0) say(`worker experiment: ${settings.workerOptions ?? ''}${settings.prebuiltBundle ? ' prebuilt bundle' : ''}`);
  bench = await startBenchStack({ sqlitePragmas: settings.sqlitePragmas, env: { ...settings.stackEnv, ...experiment }, logDir: SCRATCH_DIR, progress: say });
  say(`stack up; its output goes to ${relative(REPO_ROOT, bench.logFile)}`);
  const context: PhaseContext = { settings, bench, runId: randomBytes(4).toString('hex'), progress: say };

  if (settings.phases.has(1)) {
    say(`phase 1, HTTP floor: ${settings.httpConcurrency} connections for ${settings.httpDurationMs / 1000} s`);
    results.httpFloor = await runHttpFloor(context);
    tables.push(...show(httpTables('Phase 1: HTTP floor (bare Hono, same body handling)', results.httpFloor)));
  }
  if (settings.phases.has(2)) {
    say(`phase 2, API intake: POST /orders, ${settings.httpConcurrency} connections for ${settings.httpDurationMs / 1000} s (worker paused)`);
    results.apiIntake = await runApiIntake(context);
    tables.push(...show(httpTables('Phase 2: API intake (POST /orders)', results.apiIntake, results.httpFloor)));
  }
  if (settings.phases.has(3)) {
    say('phase 3, engine floor');
    results.engineFloor = await runEngineFloor(context);
    const variant = settings.floorVariant === 'floor' ? '' : `, experiment: floor + ${settings.floorVariant}`;
    tables.push(...show(workflowTables(`Phase 3: engine floor (no-op activities${variant})`, results.engineFloor)));
  }
  if (settings.phases.has(4)) {
    say('phase 4, orders end to end');
    results.orders = await runOrders(context);
    tables.push(...show(workflowTables('Phase 4: orders end to end', results.orders, results.engineFloor)));
  }
  if (settings.phases.has(6)) {
    say('phase 6, one order at a time on an idle stack');
    results.idleLatency = await runIdleLatency(context);
    tables.push(...show(idleLatencyTables(results.idleLatency)));
  }
  if (settings.phases.has(7)) {
    say(`phase 7, orders in flight: ${settings.inFlightLevels.join(', ')}`);
    results.inFlightScaling = await runInFlightScaling(context);
    tables.push(...show(inFlightScalingTables(results.inFlightScaling)));
    const { failure } = results.inFlightScaling;
    if (failure) throw new Error(`in-flight scaling at ${failure.inFlight} in flight: ${failure.error}`);
  }
  if (settings.soak) {
    results.soak = await runSoak(context);
    tables.push(...show(soakTables(results.soak)));
  }
  if (settings.cluster) {
    say(`phase 9, one worker vs two, dev server vs cluster: ${settings.clusterOrders} orders each, ${settings.workflowConcurrency} in flight`);
    results.clusterScale = await runClusterScale(context);
    tables.push(...show(clusterScaleTables(results.clusterScale)));
  }
  // Last: it empties the orders table and leaves a million orders in it.
  if (settings.phases.has(8)) {
    say(`phase 8, reads at ${settings.millionOrders.toLocaleString('en-US')} orders`);
    results.millionReads = await runMillionReads(context);
    tables.push(...show(millionReadsTables(results.millionReads)));
  }
} catch (error) {
  failed = true;
  process.stderr.write(`\nbench failed: ${(error as Error).stack ?? String(error)}\n`);
  if (bench) process.stderr.write(`the stack's output is in ${relative(REPO_ROOT, bench.logFile)}\n`);
} finally {
  if (bench) {
    say('stopping the stack');
    await bench.stop();
  }
}

results.durationMs = Date.now() - began;
const targets = [...checkTargets(results), ...scalingTargets(results)];
if (targets.length > 0) tables.push(...show([targetsTable(targets)]));
const written = writeResults(settings.outDir, results, tables, targets);
say(`${failed ? 'FAILED' : 'done'} in ${(results.durationMs / 1000).toFixed(0)} s; results: ${written.map((path) => relative(REPO_ROOT, path)).join(', ')}`);
process.exit(failed ? 1 : 0);
