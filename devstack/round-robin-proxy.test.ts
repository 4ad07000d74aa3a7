import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from './free-port.js';
import { startRoundRobinProxy, type RoundRobinProxy } from './round-robin-proxy.js';

/** An upstream that answers with its name and echoes the body it got. */
async function upstream(name: string): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => res.end(`${name}:${req.method}:${body}`));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

async function proxyOver(urls: string[]): Promise<RoundRobinProxy> {
  const proxy = await startRoundRobinProxy({ port: 0, upstreams: urls });
  closers.push(() => proxy.close());
  return proxy;
}

describe('the round-robin proxy in front of the APIs', () => {
  it('sends requests to each upstream in turn, bodies included', async () => {
    const [a, b] = [await upstream('a'), await upstream('b')];
    closers.push(async () => void (a.server.close(), b.server.close()));
    const proxy = await proxyOver([a.url, b.url]);
    const answers = [];
    for (let i = 0; i < 4; i += 1) answers.push(await (await fetch(proxy.url, { method: 'POST', body: `n${i}` })).text());
    expect(answers).toEqual(['a:POST:n0', 'b:POST:n1', 'a:POST:n2', 'b:POST:n3']);
    expect(proxy.answered).toEqual([2, 2]);
  });

  it('skips an upstream that refuses connections, and answers 502 when none is left', async () => {
    const live = await upstream('live');
    closers.push(async () => void live.server.close());
    const dead = `http://127.0.0.1:${await freePort()}`;
    const proxy = await proxyOver([dead, live.url]);
    for (let i = 0; i < 3; i += 1) expect(await (await fetch(proxy.url)).text()).toBe('live:GET:');
    const nobody = await proxyOver([dead]);
    expect((await fetch(nobody.url)).status).toBe(502);
  });
});
