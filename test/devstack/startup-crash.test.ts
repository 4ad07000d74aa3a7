import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevStack } from '../../devstack/dev-stack.js';
import { freePort, freeStackPorts } from '../../devstack/free-port.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

/**
 * `npm start`'s launcher (which the chaos, bench and fuzz stacks share) when a service dies while the
 * stack starts: the start rejects and says what the process said last, not only its exit code. The
 * API is made to die the way CI once saw it die, on a port someone else took.
 */
describe('a stack whose API dies during startup', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'order-saga-startup-crash-'));
  let database: TestDatabase;
  let squatter: Server;
  let apiPort: number;
  const sockets = new Set<Socket>();

  beforeAll(async () => {
    database = await createTestDatabase('startup_crash');
    apiPort = await freePort();
    // It takes connections and never answers; the launcher's readiness polls reach it too.
    squatter = createServer((socket) => sockets.add(socket));
    await new Promise<void>((listening) => squatter.listen(apiPort, '127.0.0.1', listening));
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((closed) => squatter.close(closed));
    await database.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('rejects with the exit code and the last lines the API printed', async () => {
    const said: string[] = [];
    const starting = startDevStack({
      env: { ...process.env, LOG_LEVEL: 'info' },
      dataDir,
      databaseUrl: database.url,
      ports: { ...(await freeStackPorts()), api: apiPort },
      onLine: (source, line) => said.push(`[${source}] ${line}`),
      progress: () => {},
    });
    const failure = await starting.then(
      () => new Error('the stack started on a taken port'),
      (error: unknown) => error as Error,
    );
    expect(failure.message).toMatch(/^api ended \(code 1\) during startup; its last lines:\n/);
    expect(failure.message).toContain('EADDRINUSE');
    // The lines quoted are the API's own, as the stack's output showed them.
    const quoted = failure.message
      .split('\n')
      .slice(1)
      .map((line) => line.slice('  '.length));
    for (const line of quoted) expect(said).toContain(`[api] ${line}`);
  });
});
