import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { EncryptionCodec, parsePayloadKeyring, newPayloadKeyEntry } from '../../platform/codec/index.js';
import { bearerTokenHashes, tokenHash } from '../../../test/support/codec-bearer.js';
import { codecRouter } from './codec-router.js';

const UI_ORIGIN = 'http://127.0.0.1:8233';
const TOKEN = 'codec_admin_for_this_test';
const codec = new EncryptionCodec(parsePayloadKeyring(newPayloadKeyEntry('k1')));
const app = new Hono().route('/codec', codecRouter({ codec, authorize: bearerTokenHashes([tokenHash(TOKEN)]), allowedOrigins: [UI_ORIGIN] }));

const toWire = (p: Payload) => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
  data: Buffer.from(p.data ?? []).toString('base64'),
});
const post = (path: string, body: unknown, headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` }) =>
  app.request(path, { method: 'POST', headers: { 'content-type': 'application/json', origin: UI_ORIGIN, ...headers }, body: JSON.stringify(body) });

describe('the codec server (Temporal codec protocol)', () => {
  it('decodes for an operator with the admin token what the worker encrypted', async () => {
    const [sealed] = await codec.encode([defaultPayloadConverter.toPayload({ paymentToken: 'tok_visa' })]);
    const response = await post('/codec/decode', { payloads: [toWire(sealed!)] });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(UI_ORIGIN);
    const { payloads } = (await response.json()) as { payloads: { metadata: Record<string, string>; data: string }[] };
    expect(Buffer.from(payloads[0]!.metadata.encoding!, 'base64').toString()).toBe('json/plain');
    expect(JSON.parse(Buffer.from(payloads[0]!.data, 'base64').toString())).toEqual({ paymentToken: 'tok_visa' });
  });

  it('encodes, and its own output decodes back', async () => {
    const plain = toWire(defaultPayloadConverter.toPayload('hello'));
    const encoded = (await (await post('/codec/encode', { payloads: [plain] })).json()) as { payloads: unknown[] };
    const decoded = (await (await post('/codec/decode', encoded)).json()) as { payloads: unknown[] };
    expect(decoded.payloads).toEqual([plain]);
  });

  it('answers 401 with WWW-Authenticate without a token or with a wrong one', async () => {
    for (const headers of [{}, { authorization: 'Bearer not-the-token' }, { authorization: TOKEN }] as Record<string, string>[]) {
      const response = await post('/codec/decode', { payloads: [] }, headers);
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(response.headers.get('content-type')).toMatch(/problem\+json/);
    }
  });

  it("answers the Web UI's preflight without credentials, and names only the allowed origin", async () => {
    const preflight = (origin: string) =>
      app.request('/codec/decode', {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type,x-namespace' },
      });
    const allowed = await preflight(UI_ORIGIN);
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(UI_ORIGIN);
    expect(allowed.headers.get('access-control-allow-headers')).toBe('authorization,content-type,x-namespace');
    const other = await preflight('https://evil.example');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers 400 for a body that is not a payload list, or a payload it cannot decrypt', async () => {
    expect((await post('/codec/decode', { payload: 'x' })).status).toBe(400);
    const [sealed] = await new EncryptionCodec(parsePayloadKeyring(newPayloadKeyEntry('other'))).encode([defaultPayloadConverter.toPayload(1)]);
    const response = await post('/codec/decode', { payloads: [toWire(sealed!)] });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { detail: string }).detail).toContain('No payload key "other"');
  });
});
