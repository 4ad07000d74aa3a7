import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres, type RunningPostgres } from '../../devstack/embedded-postgres.js';
import { freePort } from '../../devstack/free-port.js';
import { connectDatabase, type DatabaseHandle } from './client.js';
import { isDatabaseUnreachable } from './connection-errors.js';

/**
 * PostgreSQL stopping under open transactions (chaos db-outage). postgres 3.4.9 then writes each
 * transaction's ROLLBACK on a connection whose socket it has already dropped: unpatched, that throws
 * a TypeError from a setImmediate (connection.js nextWrite) that no caller can catch, and the process
 * dies (porsager/postgres#1154, #1208); and a connection that had a write pending kept a stale timer
 * that stopped it from ever connecting again. patches/postgres+3.4.9.patch fails those writes with
 * CONNECTION_CLOSED and clears the dead socket's state. Its own server: the shared one must stay up.
 */
describe('the database pool when PostgreSQL stops under open transactions', () => {
  let dataDir: string;
  let port: number;
  let server: RunningPostgres;
  let pool: DatabaseHandle;
  const uncaught: unknown[] = [];
  const recordUncaught = (error: unknown) => uncaught.push(error);

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'order-saga-connection-loss-'));
    // PostgreSQL runs as the `postgres` user when we are root, so it must be able to enter this folder.
    chmodSync(dataDir, 0o755);
    port = await freePort();
    server = await startEmbeddedPostgres({ dataDir: join(dataDir, 'postgres'), port });
    pool = connectDatabase(server.url('postgres'), { poolSize: 4 });
    await pool.db.execute(sql`create table counter (id int primary key, n int not null)`);
    await pool.db.execute(sql`insert into counter values (1, 0)`);
    process.on('uncaughtException', recordUncaught);
  });
  afterAll(async () => {
    process.off('uncaughtException', recordUncaught);
    await pool?.close();
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('fails the transactions with a connection error, stays up, and works again once PostgreSQL is back', async () => {
    const failures: unknown[] = [];
    let committed = 0;
    // More lanes than connections, each transaction several round trips, so that some are mid-flight
    // and some queued when the server stops. A lane ends at its first failure.
    const lane = async () => {
      for (;;) {
        try {
          await pool.db.transaction(async (tx) => {
            await tx.execute(sql`update counter set n = n + 1 where id = 1`);
            await tx.execute(sql`select n from counter where id = 1`);
            await tx.execute(sql`select pg_sleep(0.01)`);
          });
          committed++;
        } catch (error) {
          failures.push(error);
          return;
        }
      }
    };
    const lanes = Array.from({ length: 12 }, lane);
    await until(() => committed >= 20, 'transactions commit before the outage');
    expect(failures).toEqual([]);
    const committedBefore = committed;

    await server.stop();
    // Every lane settles: a transaction PostgreSQL dropped fails, none hangs.
    await Promise.all(lanes);
    expect(failures).toHaveLength(12);
    for (const failure of failures) expect(isDatabaseUnreachable(failure), String(failure)).toBe(true);

    server = await startEmbeddedPostgres({ dataDir: join(dataDir, 'postgres'), port });
    // Every connection of the pool connects again: as many transactions at once as it has connections.
    await until(async () => {
      const results = await Promise.allSettled(Array.from({ length: 4 }, () => pool.db.transaction((tx) => tx.execute(sql`select n from counter`))));
      return results.every((r) => r.status === 'fulfilled');
    }, 'the pool answers again');
    const [row] = await pool.db.execute<{ n: number }>(sql`select n from counter where id = 1`);
    expect(row!.n).toBeGreaterThanOrEqual(committedBefore);
    expect(uncaught).toEqual([]);
  });
});

/** Polls `condition` until it holds, failing after `deadlineMs`. */
async function until(condition: () => boolean | Promise<boolean>, what: string, deadlineMs = 30_000): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
