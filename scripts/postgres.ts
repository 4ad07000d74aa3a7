/**
 * `npm run db`: just the embedded PostgreSQL, in the foreground, on the data `npm start` uses, for
 * running `npm run api`, `worker` or `payments` on their own. Ctrl-C stops it.
 */
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dataDirPath, DEFAULT_PORTS } from '../devstack/dev-stack.js';
import { startStackPostgres } from '../devstack/stack-servers.js';
import { runServerInForeground } from '../devstack/foreground.js';
import { REPO_ROOT } from '../devstack/repo-root.js';

const configuredUrl = process.env.DATABASE_URL;

await runServerInForeground({
  script: fileURLToPath(import.meta.url),
  env: process.env,
  what: 'PostgreSQL',
  start: (lines) =>
    startStackPostgres({
      dataDir: dataDirPath(),
      port: DEFAULT_PORTS.postgres,
      onLine: (line) => lines('postgres', line),
      progress: (message) => lines('postgres', message),
    }),
  describe: (server) =>
    [
      `PostgreSQL is running: ${server.url}`,
      `Data in ${relative(REPO_ROOT, server.dataDir)}. This is the services' default DATABASE_URL, so npm run api | worker | payments find it as they are.`,
      ...(configuredUrl && configuredUrl !== server.url ? [`Note: DATABASE_URL is set to ${configuredUrl} in this shell; the services will use that instead.`] : []),
      'npm run db:psql opens a SQL shell. Ctrl-C stops it.',
    ].join('\n'),
});
