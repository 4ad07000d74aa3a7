import { createServer } from 'node:net';
import type { DevStackPorts } from './dev-stack.js';

/**
 * Where the ports we hand out come from: below Linux's ephemeral range (32768–60999), which macOS's
 * (49152–65535) is above too. A port the kernel handed out for `listen(0)` would be back in that pool
 * once we close it, and the Temporal dev server picks its own internal ports that way while it
 * starts: it could take the API's port in the seconds before the API binds it (seen once in CI, as
 * "api ended (code 1) during startup"). Below the range, only another pick of ours could, and this
 * process never hands out the same port twice.
 */
const PICK_FROM = 20_000;
const PICK_BELOW = 32_768;
const handedOut = new Set<number>();

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
 * A free loopback port, below the kernel's ephemeral range and never one this process has handed out
 * before, tried at random. Below 32768 also suits Temporal's membership ports: its cluster_membership
 * table keeps them in a smallint.
 */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const port = PICK_FROM + Math.floor(Math.random() * (PICK_BELOW - PICK_FROM));
    if (handedOut.has(port)) continue;
    handedOut.add(port);
    if (await portIsFree(port)) return port;
  }
  throw new Error(`No free port found between ${PICK_FROM} and ${PICK_BELOW}`);
}
