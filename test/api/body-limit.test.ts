import http from 'node:http';
import { hashToken } from '../../src/platform/api-tokens.js';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/app.js';
import { BODY_LIMIT_BYTES } from '../../src/api/http/body-limit.js';
import { createLogger } from '../../src/platform/logger.js';
import { serveOnFreePort, type ServedApp } from '../support/http.js';
import { RawConnection, type RawResponse } from '../support/raw-http.js';

// A body over the limit that arrives slowly, as from a client on a slow link: about a second in all.
const BODY_BYTES = 5 * BODY_LIMIT_BYTES;
const TOKEN = 'body-limit-test-token';
const PIECE_BYTES = 16 * 1024;
const PIECE_GAP_MS = 50;

describe('a connection after a 413', () => {
  let api: ServedApp;
  beforeAll(async () => {
    // GET /health and a refused body need no dependency.
    api = await serveOnFreePort(
      createApp({
        db: {} as never,
        temporal: {} as never,
        taskQueue: 'unused',
        logger: createLogger({ name: 'api', level: 'silent', pretty: false }),
        tokens: [{ role: 'admin', subject: 'test', hash: hashToken(TOKEN) }],
      }).fetch,
    );
  });
  afterAll(() => api.close());

  /**
   * What a keep-alive client does: it sends the whole body it announced, unless the answer said
   * `Connection: close`, and sends its next request on the same connection unless told to close.
   */
  async function postTooLargeThenProbe(framing: 'content-length' | 'chunked'): Promise<{ refused: RawResponse; next: RawResponse[] }> {
    let connection = await RawConnection.open(api.baseUrl);
    const framingHeader = framing === 'chunked' ? 'Transfer-Encoding: chunked' : `Content-Length: ${BODY_BYTES}`;
    connection.write(`POST /orders HTTP/1.1\r\nHost: api\r\nAuthorization: Bearer ${TOKEN}\r\nContent-Type: application/json\r\n${framingHeader}\r\n\r\n`);
    let refused: RawResponse | undefined;
    const answered = connection.readResponse(10_000).then((response) => (refused = response));
    for (let sent = 0; sent < BODY_BYTES && refused?.headers.connection !== 'close'; sent += PIECE_BYTES) {
      const piece = Buffer.alloc(Math.min(PIECE_BYTES, BODY_BYTES - sent), 'x');
      connection.write(framing === 'chunked' ? Buffer.concat([Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from('\r\n')]) : piece);
      await sleep(PIECE_GAP_MS);
    }
    if (framing === 'chunked' && refused?.headers.connection !== 'close') connection.write('0\r\n\r\n');
    await answered;
    if (refused!.headers.connection === 'close') {
      await connection.closedByServer();
      connection = await RawConnection.open(api.baseUrl);
    }
    const next: RawResponse[] = [];
    for (let i = 0; i < 3; i++) {
      connection.write('GET /health HTTP/1.1\r\nHost: api\r\n\r\n');
      next.push(await connection.readResponse());
    }
    connection.destroy();
    return { refused: refused!, next };
  }

  it.each(['content-length', 'chunked'] as const)('with a slow %s body, the 413 closes it, and the next requests all succeed', async (framing) => {
    const { refused, next } = await postTooLargeThenProbe(framing);
    expect(refused.status).toBe(413);
    expect(refused.headers['content-type']).toBe('application/problem+json');
    expect(refused.headers.connection).toBe('close');
    expect(next.map((r) => r.status)).toEqual([200, 200, 200]);
  });

  it('a node:http keep-alive agent gets its 413 and then answers on every later request', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const request = (method: string, path: string, body?: Buffer) =>
      new Promise<{ status: number; connection: string | undefined }>((resolve, reject) => {
        const outgoing = http.request(
          api.baseUrl + path,
          { method, agent, headers: body ? { 'content-type': 'application/json', 'content-length': body.length, authorization: `Bearer ${TOKEN}` } : {} },
          (response) => {
            response.resume();
            response.on('end', () => resolve({ status: response.statusCode!, connection: response.headers.connection }));
          },
        );
        outgoing.on('error', reject);
        outgoing.end(body);
      });
    try {
      expect(await request('POST', '/orders', Buffer.alloc(BODY_BYTES, 'x'))).toEqual({ status: 413, connection: 'close' });
      for (let i = 0; i < 3; i++) expect((await request('GET', '/health')).status).toBe(200);
    } finally {
      agent.destroy();
    }
  });
});
