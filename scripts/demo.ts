/**
 * `npm run demo`: a guided tour of the order flows against the `npm start` running from `.data/`
 * (or `--data-dir DIR`). `npm run demo -- --own-stack` starts a stack of its own first, on free
 * ports and a temporary data folder, and stops it afterwards. Exits 1 if any step went otherwise.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runTour } from './demo/tour.js';
import { targetOfDevStack, targetOfRunningStack, type DemoTarget } from './demo/target.js';
import { DEFAULT_PORTS, dataDirPath, startDevStack, type DevStack, type DevStackPorts } from '../devstack/dev-stack.js';
import { runInOwnProcessGroup, shutdownSignal } from '../devstack/foreground.js';
import { freePort } from '../devstack/free-port.js';
import { findTemporalCli } from '../devstack/temporal-cli.js';

const { values: args } = parseArgs({ options: { 'own-stack': { type: 'boolean', default: false }, 'data-dir': { type: 'string' } } });
// Only a stack of our own needs the launcher's process group (so Ctrl-C stops it in order).
if (args['own-stack']) await runInOwnProcessGroup(fileURLToPath(import.meta.url), process.env);

const say = (line: string) => process.stdout.write(`${line}\n`);

async function startOwnStack(): Promise<{ stack: DevStack; dataDir: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'order-saga-demo-'));
  // PostgreSQL runs as the `postgres` user when we are root, so it must be able to enter this folder.
  chmodSync(dataDir, 0o755);
  const ports = { ...DEFAULT_PORTS };
  for (const name of Object.keys(ports) as (keyof DevStackPorts)[]) ports[name] = await freePort();
  say(`Starting a stack of its own (data in ${dataDir}); the services' logs are left out.`);
  const started = Date.now();
  const stack = await startDevStack({
    env: process.env,
    dataDir,
    ports,
    onLine: () => {},
    progress: (message) => say(`  [start ${Math.round((Date.now() - started) / 1000)}s] ${message}`),
    signal: shutdownSignal(),
  });
  say(`Stack up in ${Math.round((Date.now() - started) / 1000)} s.`);
  return { stack, dataDir };
}

let own: { stack: DevStack; dataDir: string } | undefined;
let target: DemoTarget;
try {
  if (args['own-stack']) {
    own = await startOwnStack();
    target = targetOfDevStack(own.stack);
  } else {
    target = targetOfRunningStack(dataDirPath(args['data-dir']));
    const ready = await fetch(`${target.apiUrl}/ready`, { signal: AbortSignal.timeout(3_000) }).catch(() => undefined);
    if (ready?.status !== 200) throw new Error(`No API answers at ${target.apiUrl}/ready: start the stack (\`npm start\`) or run \`npm run demo -- --own-stack\``);
  }
} catch (error) {
  process.stderr.write(`npm run demo: ${(error as Error).message}\n`);
  await own?.stack.stop();
  process.exit(1);
}

say(`A guided tour of the order saga at ${target.apiUrl}, as the demo customer ${target.customerId}.`);
say('Each request is printed with its real answer (bodies trimmed).');
const report = await runTour(target, { out: say, temporalCli: findTemporalCli(process.env) ?? 'temporal' });
if (own) {
  say('\nStopping the demo stack (its orders go with its data folder).');
  await own.stack.stop();
  rmSync(own.dataDir, { recursive: true, force: true });
}
process.exit(report.steps.every((step) => step.ok) ? 0 : 1);
