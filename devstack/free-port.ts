import { createServer } from 'node:net';
import type { DevStackPorts } from './dev-stack.js';

/** Asks the kernel for a free loopback port. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** A free loopback port for every process of a stack, so it never meets a developer's running one. */
export async function freeStackPorts(): Promise<DevStackPorts> {
  const [api, payments, temporal, temporalUi, metrics, sdkMetrics, apiMetrics, postgres] = await Promise.all(Array.from({ length: 8 }, () => freePort()));
  return {
    api: api!,
    payments: payments!,
    temporal: temporal!,
    temporalUi: temporalUi!,
    metrics: metrics!,
    sdkMetrics: sdkMetrics!,
    apiMetrics: apiMetrics!,
    postgres: postgres!,
  };
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * A free loopback port below `limit`, tried at random from `from` up: for Temporal's membership
 * ports, which its cluster_membership table keeps in a smallint (below 32768), where the kernel's
 * ephemeral range would not fit.
 */
export async function freePortBelow(limit: number, from = 20_000): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const port = from + Math.floor(Math.random() * (limit - from));
    if (await portIsFree(port)) return port;
  }
  throw new Error(`No free port found between ${from} and ${limit}`);
}
