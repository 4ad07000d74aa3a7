import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { freePort, freeStackPorts } from './free-port.js';

describe('free ports for the stacks', () => {
  it('never hands out the same port twice, and never one the kernel gives a listen(0) or a connect', async () => {
    const ports = [...Object.values(await freeStackPorts()), ...(await Promise.all(Array.from({ length: 40 }, () => freePort())))];
    expect(new Set(ports).size).toBe(ports.length);
    // Linux's ephemeral range starts at 32768 and macOS's at 49152: a port of ours is below both.
    for (const port of ports) expect(port).toBeLessThan(32_768);
    const kernelPick = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const address = server.address();
        server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
      });
    });
    expect(kernelPick).toBeGreaterThanOrEqual(32_768);
  });
});
