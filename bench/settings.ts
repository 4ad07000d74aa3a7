import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { FLOOR_VARIANTS, type FloorVariant } from './floor-workflow/floor-workflow.js';

export const RESULTS_DIR = fileURLToPath(new URL('./results/', import.meta.url));
/** Quick runs and stack logs go here; it is ignored by git, so CI never overwrites the committed results. */
export const SCRATCH_DIR = fileURLToPath(new URL('./results/tmp/', import.meta.url));

/** The pragmas the Temporal SDK's own stress tests run the dev server with: fast, not durable. */
export const BENCH_SQLITE_PRAGMAS = ['journal_mode=WAL', 'synchronous=OFF'];

export interface BenchSettings {
  quick: boolean;
  /** Phases 3 and 4: how many workflows / orders, and how many are kept in flight at once. */
  workflows: number;
  workflowConcurrency: number;
  /** Phase 4's memory check: this many orders started while the worker is paused, then released together. */
  inFlight: number;
  /** Phases 1 and 2: connections kept busy, and for how long (after a warm-up that is not counted). */
  httpConcurrency: number;
  httpDurationMs: number;
  httpWarmupMs: number;
  soak: boolean;
  soakRatePerSecond: number;
  soakDurationMs: number;
  sqlitePragmas: string[];
  /** Passed to the stack's processes on top of the environment (only variables the code already reads). */
  stackEnv: Record<string, string>;
  /** How long one workflow phase may take before the run gives up. */
  phaseTimeoutMs: number;
  outDir: string;
  /** A label for this run in the results, e.g. the experiment it belongs to. */
  label: string;
  /** Experiments on the stack's worker: WorkerOptions as JSON, and a bundle built before it starts. */
  workerOptions?: string;
  prebuiltBundle: boolean;
  /** Phase 3's workflow: the floor, or (an experiment) the floor plus parts of the saga's history. */
  floorVariant: FloorVariant;
  /** Which of phases 1–4, 6 and 7 run (the soak runs when `soak` is set, phase 8 with `--million`). */
  phases: Set<number>;
  /** Phase 6: orders placed one after the other with `Prefer: wait` on the idle stack. */
  idleOrders: number;
  /** Phase 7: the in-flight counts measured, and how many orders each places (rounds × in flight, at least the minimum). */
  inFlightLevels: number[];
  scalingRounds: number;
  scalingMinOrders: number;
  /** Phase 8: the orders seeded by COPY (100 per customer), and the requests per read at each size. */
  millionOrders: number;
  readRequests: number;
  /** Phase 9: orders per second with one worker and two, on the dev server and on a Temporal cluster started for it. */
  cluster: boolean;
  /** Phase 9: orders in each of its four measurements. */
  clusterOrders: number;
}

const USAGE = `npm run bench [-- options]
  --quick                 small N and short HTTP phases: checks that the benchmark runs (CI)
  --n N                   workflows in phases 3 and 4 (default 2000; quick 50)
  --concurrency C         workflows in flight in phases 3 and 4 (default 50; quick 10)
  --in-flight N           orders released together for the worker memory check (default 1000; quick 50)
  --http-concurrency C    connections in phases 1 and 2 (default 32)
  --http-seconds S        measured seconds of phases 1 and 2 (default 10; quick 3)
  --cluster               phase 9: orders/s with 1 and 2 workers, on the dev server and on a Temporal cluster
                          (npm run cluster's launcher; about a minute to start, the first time minutes more to build)
  --cluster-n N           orders in each of phase 9's four measurements (default 300)
  --soak                  phase 5: a fixed order rate for a while, watching latency and worker memory
  --soak-rate R           orders per second in the soak (default 5, well under this machine's capacity)
  --soak-minutes M        how long the soak runs (default 10)
  --no-sqlite-pragmas     run the dev server with SQLite's defaults instead of WAL + synchronous=OFF
  --stack-env K=V         an environment variable for the stack's processes (repeatable), e.g. DATABASE_POOL_SIZE=20
  --floor-variant V       experiment: phase 3 runs the floor plus parts of the saga's history:
                          ${Object.keys(FLOOR_VARIANTS).join(', ')} (default floor)
  --phases 1,2,3,4,6,7    run only these of phases 1-4, 6 and 7, or none (default: all); 8 runs with --million
  --idle-orders N         phase 6: orders one at a time with Prefer: wait (default 50; quick 5)
  --in-flight-levels L    phase 7: in-flight counts, comma-separated (default 10,50,200,1000; quick 2,5)
  --scaling-rounds R      phase 7: orders per level, as a multiple of its in-flight count (default and least 3; at least 200 orders, quick 10)
  --million               phase 8: reads on a small shop, then on a million orders seeded by COPY, with their EXPLAIN
  --million-orders N      phase 8: orders seeded, a multiple of 100 (default 1000000)
  --read-requests N       phase 8: requests per read and size (default 5000)
  --worker-options JSON   experiment: WorkerOptions merged into the order worker's, e.g. '{"maxCachedWorkflows":100}'
  --prebuilt-bundle       experiment: the order worker loads a bundle built beforehand instead of bundling at start
  --label NAME            names the run in its results
  --out DIR               where results go (default bench/results/, quick: bench/results/tmp/quick/)`;

function positiveInt(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed <= 0) throw new Error(`--${name} takes a positive integer, not ${value}\n\n${USAGE}`);
  return parsed;
}

export function parseBenchSettings(argv: string[]): BenchSettings {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      n: { type: 'string' },
      concurrency: { type: 'string' },
      'in-flight': { type: 'string' },
      'http-concurrency': { type: 'string' },
      'http-seconds': { type: 'string' },
      soak: { type: 'boolean', default: false },
      cluster: { type: 'boolean', default: false },
      'cluster-n': { type: 'string' },
      'soak-rate': { type: 'string' },
      'soak-minutes': { type: 'string' },
      'no-sqlite-pragmas': { type: 'boolean', default: false },
      'stack-env': { type: 'string', multiple: true, default: [] },
      label: { type: 'string' },
      phases: { type: 'string', default: '1,2,3,4,6,7' },
      'floor-variant': { type: 'string', default: 'floor' },
      'worker-options': { type: 'string' },
      'prebuilt-bundle': { type: 'boolean', default: false },
      'idle-orders': { type: 'string' },
      'in-flight-levels': { type: 'string' },
      'scaling-rounds': { type: 'string' },
      million: { type: 'boolean', default: false },
      'million-orders': { type: 'string' },
      'read-requests': { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const quick = values.quick;
  const stackEnv = Object.fromEntries(
    values['stack-env'].map((pair) => {
      const at = pair.indexOf('=');
      if (at <= 0) throw new Error(`--stack-env takes NAME=VALUE, not ${pair}`);
      return [pair.slice(0, at), pair.slice(at + 1)];
    }),
  );
  const workflows = positiveInt('n', values.n, quick ? 50 : 2000);
  const millionOrders = positiveInt('million-orders', values['million-orders'], 1_000_000);
  if (millionOrders % 100 !== 0 || millionOrders < 2000) throw new Error(`--million-orders takes a multiple of 100 of at least 2000, not ${millionOrders}`);
  const floorVariant = values['floor-variant'];
  if (!Object.hasOwn(FLOOR_VARIANTS, floorVariant)) throw new Error(`--floor-variant takes one of ${Object.keys(FLOOR_VARIANTS).join(', ')}, not ${floorVariant}`);
  return {
    quick,
    workflows,
    workflowConcurrency: positiveInt('concurrency', values.concurrency, quick ? 10 : 50),
    inFlight: positiveInt('in-flight', values['in-flight'], quick ? 50 : 1000),
    httpConcurrency: positiveInt('http-concurrency', values['http-concurrency'], 32),
    httpDurationMs: positiveInt('http-seconds', values['http-seconds'], quick ? 3 : 10) * 1000,
    httpWarmupMs: quick ? 500 : 2000,
    soak: values.soak,
    soakRatePerSecond: positiveInt('soak-rate', values['soak-rate'], 5),
    soakDurationMs: positiveInt('soak-minutes', values['soak-minutes'], 10) * 60_000,
    sqlitePragmas: values['no-sqlite-pragmas'] ? [] : BENCH_SQLITE_PRAGMAS,
    stackEnv,
    phaseTimeoutMs: quick ? 90_000 : Math.max(300_000, workflows * 300),
    outDir: values.out ?? (quick ? `${SCRATCH_DIR}quick/` : RESULTS_DIR),
    label: values.label ?? (quick ? 'quick' : 'full'),
    floorVariant: floorVariant as FloorVariant,
    workerOptions: values['worker-options'],
    prebuiltBundle: values['prebuilt-bundle'],
    phases: new Set([
      ...(values.phases === 'none' ? [] : values.phases.split(',').map((phase) => positiveInt('phases', phase.trim(), 0))),
      ...(values.million ? [8] : []),
    ]),
    idleOrders: positiveInt('idle-orders', values['idle-orders'], quick ? 5 : 50),
    inFlightLevels: (values['in-flight-levels'] ?? (quick ? '2,5' : '10,50,200,1000')).split(',').map((level) => positiveInt('in-flight-levels', level.trim(), 0)),
    scalingRounds: positiveInt('scaling-rounds', values['scaling-rounds'], 3),
    scalingMinOrders: quick ? 10 : 200,
    millionOrders,
    readRequests: positiveInt('read-requests', values['read-requests'], 5000),
    cluster: values.cluster,
    clusterOrders: positiveInt('cluster-n', values['cluster-n'], quick ? 20 : 300),
  };
}
