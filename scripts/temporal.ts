/**
 * `npm run temporal`: just the Temporal dev server, in the foreground, with the same flags and the same
 * history file as `npm start`. Ctrl-C stops it.
 */
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dataDirPath, DEFAULT_PORTS } from '../devstack/dev-stack.js';
import { startStackTemporal } from '../devstack/stack-servers.js';
import { runServerInForeground } from '../devstack/foreground.js';
import { REPO_ROOT } from '../devstack/repo-root.js';

const dataDir = dataDirPath();

await runServerInForeground({
  script: fileURLToPath(import.meta.url),
  env: process.env,
  what: 'The Temporal dev server',
  start: async (lines) => {
    const server = await startStackTemporal({
      env: process.env,
      dataDir,
      port: DEFAULT_PORTS.temporal,
      uiPort: DEFAULT_PORTS.temporalUi,
      onLine: (line) => lines('temporal', line),
      progress: (message) => lines('temporal-cli', message),
    });
    return { ...server, exited: server.process.exited };
  },
  describe: (server) =>
    [
      `Temporal dev server on ${server.address} (TEMPORAL_ADDRESS), Web UI ${server.uiUrl}`,
      `History in ${relative(REPO_ROOT, dataDir)}/temporal/temporal.db; the order search attributes are registered.`,
      'Ctrl-C stops it.',
    ].join('\n'),
});
