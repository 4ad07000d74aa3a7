/**
 * `npm start`: the whole stack on embedded defaults, in one terminal. Ctrl-C stops it all, in order.
 * Set DATABASE_URL to use an existing PostgreSQL instead of the embedded one.
 */
import { fileURLToPath } from 'node:url';
import { startDevStack, type DevStack } from '../devstack/dev-stack.js';
import { runInOwnProcessGroup, shutdownSignal } from '../devstack/foreground.js';
import { stackBanner } from '../devstack/stack-banner.js';
import { removeStackFile, writeStackFile } from '../devstack/stack-file.js';

await runInOwnProcessGroup(fileURLToPath(import.meta.url), process.env);

const say = (message: string) => process.stdout.write(`${message}\n`);

const interrupted = shutdownSignal(() => say('Already stopping.'));

let stack: DevStack;
try {
  stack = await startDevStack({ env: process.env, databaseUrl: process.env.DATABASE_URL || undefined, signal: interrupted });
} catch (error) {
  if (interrupted.aborted) {
    say('Stopped before the stack was up.');
    process.exit(130);
  }
  process.stderr.write(`\nnpm start failed: ${(error as Error).message}\n`);
  process.exit(1);
}
say(stackBanner(stack));
// For the tools that come after (`npm run demo`): where this stack listens.
writeStackFile(stack);

const crash = await Promise.race([stack.crashed, new Promise<undefined>((resolve) => interrupted.addEventListener('abort', () => resolve(undefined), { once: true }))]);
if (crash) {
  process.stderr.write(`\n${crash.name} ended unexpectedly (${crash.how}); stopping the rest.\n`);
} else {
  say('\nStopping: API, worker, payment gateway, then Temporal and PostgreSQL.');
}
removeStackFile(stack.dataDir);
await stack.stop();
say(crash ? 'Stopped after a failure.' : 'Stopped.');
process.exit(crash ? 1 : 0);
