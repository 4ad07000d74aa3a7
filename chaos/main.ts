/**
 * `npm run chaos [-- <name>|check] [--orders N] [--seed S]`: the fault experiments of issue 12, each
 * on a fresh stack started by `npm start`'s launcher, each ending in the invariant checker's
 * verdict and one row of the table; `check` runs the checker alone against a running stack.
 * Exits 1 when any experiment broke a rule, did not drain, or lost a process it did not kill.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { REPO_ROOT } from '../devstack/repo-root.js';
import { runCheckCommand } from './check-command.js';
import { EXPERIMENTS, experimentsNamed } from './experiments/index.js';
import { passed, resultDetails, resultTable } from './report/result-table.js';
import { runExperiment, type ExperimentResult } from './run/run-experiment.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    orders: { type: 'string', default: '300' },
    seed: { type: 'string' },
    'initial-stock': { type: 'string' },
    'log-dir': { type: 'string', default: join(REPO_ROOT, 'test-output', 'chaos') },
  },
});
const say = (message: string) => process.stderr.write(`${message}\n`);

if (positionals[0] === 'check') {
  process.exit(await runCheckCommand({ env: process.env, initialStockFile: values['initial-stock'], say }));
}

const seed = values.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(values.seed);
const orders = Number(values.orders);
if (!Number.isInteger(seed) || !Number.isInteger(orders) || orders < 1) throw new Error('--orders and --seed take integers');
const chosen = positionals.length === 0 ? [...EXPERIMENTS] : positionals.flatMap((name) => experimentsNamed(name));
const unknown = positionals.filter((name) => experimentsNamed(name).length === 0);
if (unknown.length > 0) {
  say(`No experiment named ${unknown.join(', ')}. There are: ${EXPERIMENTS.map((e) => e.name).join(', ')}`);
  process.exit(2);
}

say(`chaos: ${chosen.map((e) => e.name).join(', ')}; ${orders} orders each; seed ${seed} (repeat with --seed ${seed})`);
// Ctrl-C (or CI's timeout) stops the stack being run: no process and no temporary folder outlives the run.
let stopCurrent: (() => Promise<void>) | undefined;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    say(`chaos: ${signal}; stopping the stack`);
    void (stopCurrent?.() ?? Promise.resolve()).finally(() => process.exit(130));
  });
}
const results: ExperimentResult[] = [];
for (const experiment of chosen) {
  const result = await runExperiment(experiment, { orders, seed, logDir: values['log-dir'], progress: say, onStack: (stop) => (stopCurrent = stop) });
  results.push(result);
  process.stdout.write(`\n${resultTable([result])}\n${resultDetails(result)}\n`);
}
if (results.length > 1) process.stdout.write(`\nAll experiments (seed ${seed}, ${orders} orders each):\n\n${resultTable(results)}\n`);
const failures = results.filter((result) => !passed(result));
process.stdout.write(failures.length === 0 ? '\nchaos: every experiment passed\n' : `\nchaos: FAILED: ${failures.map((r) => r.name).join(', ')}\n`);
process.exit(failures.length === 0 ? 0 : 1);
