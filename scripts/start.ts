/**
 * `npm start`: the whole stack on embedded defaults, in one terminal. Ctrl-C stops it all, in order.
 * Set DATABASE_URL to use an existing PostgreSQL instead of the embedded one.
 */
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEMO_CUSTOMER_ID } from '../devstack/dev-secrets.js';
import { startDevStack, type DevStack } from '../devstack/dev-stack.js';
import { runInOwnProcessGroup, shutdownSignal } from '../devstack/foreground.js';
import { REPO_ROOT } from '../devstack/repo-root.js';
import { removeStackFile, writeStackFile } from '../devstack/stack-file.js';
import { stuckOrdersUrl } from '../devstack/stuck-orders-link.js';

await runInOwnProcessGroup(fileURLToPath(import.meta.url), process.env);

const say = (message: string) => process.stdout.write(`${message}\n`);

function banner({ urls, embeddedPostgresDir, secrets, dataDir, payloadsEncrypted }: DevStack): string {
  const order = JSON.stringify({ items: [{ sku: 'KBD-001', quantity: 1 }] });
  const rows: [string, string][] = [
    ['API', `${urls.api}   (docs: ${urls.api}/docs)`],
    ['Temporal Web UI', urls.temporalUi],
    ['Temporal frontend', urls.temporalAddress],
    ['Payment gateway', urls.payments],
    ['API metrics', urls.apiMetrics],
    ['Worker metrics', urls.metrics],
    ['SDK metrics', urls.sdkMetrics],
    ['DATABASE_URL', `${urls.database}${embeddedPostgresDir ? `   (embedded, data in ${relative(REPO_ROOT, embeddedPostgresDir)})` : ''}`],
  ];
  const line = '─'.repeat(78);
  return [
    line,
    ' The order saga is running.',
    '',
    ...rows.map(([name, value]) => `   ${name.padEnd(18)} ${value}`),
    '',
    ` Dev tokens (development only; kept in ${relative(REPO_ROOT, dataDir)}/dev-secrets.json):`,
    `   admin                 ${secrets.adminToken}`,
    `   customer ${DEMO_CUSTOMER_ID.padEnd(12)} ${secrets.customerToken}`,
    '',
    ' Place an order as the demo customer:',
    `   export TOKEN=${secrets.customerToken}`,
    `   curl -si -X POST ${urls.api}/orders -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \\`,
    `     -H "Idempotency-Key: $(date +%s)" -d '${order}'`,
    ' Follow it (the id is in the Location header):',
    `   curl -s ${urls.api}/orders/<id> -H "Authorization: Bearer $TOKEN"`,
    ' A guided tour of the order flows, against this stack:  npm run demo',
    ' Orders stuck short of a final status, started over a minute before now, in the Web UI:',
    `   ${stuckOrdersUrl(urls.temporalUi, 'default')}`,
    ' SQL:  npm run db:psql',
    ...(payloadsEncrypted
      ? [
          ' Payloads are encrypted (dev key in .data/payload-keys). Read them decoded, with the admin token:',
          `   "$(npm run -s temporal:cli)" workflow show -w order-<id> --codec-endpoint ${urls.api}/codec --codec-auth 'Bearer ${secrets.adminToken}'`,
        ]
      : []),
    '',
    ' Ctrl-C stops everything (a second Ctrl-C kills it at once).',
    line,
  ].join('\n');
}

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
say(banner(stack));
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
