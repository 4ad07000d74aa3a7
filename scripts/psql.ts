/**
 * `npm run db:psql [-- psql options]`: a psql shell on DATABASE_URL, by default the embedded PostgreSQL
 * of `npm start` and `npm run db`.
 */
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { EMBEDDED_DATABASE_URL } from '../src/platform/config.js';

const url = process.env.DATABASE_URL || EMBEDDED_DATABASE_URL;

function answers(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 1000 });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('timeout', () => done(false));
    socket.once('error', () => done(false));
  });
}

const { hostname, port } = new URL(url);
if (!(await answers(hostname || '127.0.0.1', Number(port || 5432)))) {
  process.stderr.write(
    `Nothing answers at ${hostname}:${port || 5432}. ` +
      (url === EMBEDDED_DATABASE_URL ? 'Start the embedded PostgreSQL first: npm start, or npm run db.\n' : 'Is the server in DATABASE_URL running?\n'),
  );
  process.exit(1);
}

const psql = spawn('psql', [url, ...process.argv.slice(2)], { stdio: 'inherit' });
// psql handles Ctrl-C itself (it cancels the running query); this process must not die of it.
process.on('SIGINT', () => {});
psql.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'ENOENT') throw error;
  process.stderr.write(
    [
      'psql is not installed.',
      '  Debian/Ubuntu: sudo apt-get install postgresql-client',
      '  macOS:         brew install libpq && brew link --force libpq',
      '  Or browse the tables in a browser: npx drizzle-kit studio',
      '',
    ].join('\n'),
  );
  process.exit(127);
});
psql.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
