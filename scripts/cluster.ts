/**
 * `npm run cluster`: the whole system on a real Temporal cluster on PostgreSQL, without Docker.
 * The first start builds temporal-server, temporal-sql-tool and the UI server with Go (a few
 * minutes, once per user); later starts reuse them and the data in .data/cluster/.
 * Set DATABASE_URL to use an existing PostgreSQL instead of the embedded one.
 */
import { fileURLToPath } from 'node:url';
import { startClusterStack, type ClusterStack } from '../devstack/cluster-stack.js';
import { runInOwnProcessGroup, shutdownSignal } from '../devstack/foreground.js';
import { stackBanner } from '../devstack/stack-banner.js';

await runInOwnProcessGroup(fileURLToPath(import.meta.url), process.env);

const say = (message: string) => process.stdout.write(`${message}\n`);
const interrupted = shutdownSignal(() => say('Already stopping.'));

let stack: ClusterStack;
try {
  stack = await startClusterStack({ env: process.env, databaseUrl: process.env.DATABASE_URL || undefined, signal: interrupted });
} catch (error) {
  if (interrupted.aborted) {
    say('Stopped before the cluster was up.');
    process.exit(130);
  }
  process.stderr.write(`\nnpm run cluster failed: ${(error as Error).message}\n`);
  process.exit(1);
}
const { urls, temporal } = stack;
say(
  stackBanner(
    stack,
    [
      ['APIs (proxied)', urls.apis.join(', ')],
      ['All worker metrics', urls.workerMetrics.join(', ')],
      ['Temporal services', [...temporal.processes.keys()].filter((name) => name !== 'ui').join(', ')],
    ],
    'The order saga is running on a Temporal cluster (PostgreSQL persistence and visibility).',
  ),
);

const crash = await Promise.race([stack.crashed, new Promise<undefined>((resolve) => interrupted.addEventListener('abort', () => resolve(undefined), { once: true }))]);
if (crash) process.stderr.write(`\n${crash.name} ended unexpectedly (${crash.how}); stopping the rest.\n`);
else say('\nStopping: the proxy, APIs, workers, payment gateway, then the Temporal services and PostgreSQL.');
await stack.stop();
say(crash ? 'Stopped after a failure.' : 'Stopped.');
process.exit(crash ? 1 : 0);
