import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerUnparseableRequests } from './unparseable-requests.js';

/** Sends raw bytes on a fresh connection and reads until the server closes it. */
function exchange(port: number, request: string | Buffer): Promise<{ status: number; headers: Record<string, string>; body: string }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = net.connect(port, '127.0.0.1', () => socket.write(request));
    socket.setTimeout(5_000, () => socket.destroy(new Error('no answer in 5 s')));
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('latin1');
      const [head = '', body = ''] = text.split('\r\n\r\n');
      const [statusLine = '', ...lines] = head.split('\r\n');
      const headers = Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body });
    });
  });
}

describe('a request Node cannot parse is answered as problem+json, like every other error', () => {
  let server: ServerType;
  let port: number;
  beforeAll(async () => {
    server = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch: () => new Response('ok'), port: 0, hostname: '127.0.0.1' }, () => resolve(s));
    });
    answerUnparseableRequests(server);
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it.each([
    ['a DEL in a header value (what the fuzzer sent as an Idempotency-Key)', 'GET / HTTP/1.1\r\nHost: x\r\nIdempotency-Key: a\x7fb\r\n\r\n', 400, 'malformed-request'],
    ['a NUL in a header value', 'GET / HTTP/1.1\r\nHost: x\r\nPrefer: wait=\x001\r\n\r\n', 400, 'malformed-request'],
    ['a broken request line', 'NOT HTTP AT ALL\r\n\r\n', 400, 'malformed-request'],
    ['headers over 16 KiB', `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`, 431, 'headers-too-large'],
  ])('%s', async (_case, request, status, code) => {
    const response = await exchange(port, request);
    expect(response.status).toBe(status);
    expect(response.headers['content-type']).toBe('application/problem+json');
    expect(response.headers.connection).toBe('close');
    const problem = JSON.parse(response.body) as { type: string; status: number; instance: string; requestId: string };
    expect(problem).toMatchObject({ type: `https://orders.example/problems/${code}`, status });
    expect(problem.instance).toBe(`urn:uuid:${problem.requestId}`);
  });

  it('leaves well-formed requests to the app', async () => {
    const response = await exchange(port, 'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect(response.status).toBe(200);
    expect(response.body).toBe('ok');
  });
});
