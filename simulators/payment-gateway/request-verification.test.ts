import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { NONCE_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, signatureHeaders } from '../../src/payments/request-signing.js';
import { MAX_CLOCK_SKEW_MS, verifySignedRequests } from './request-verification.js';

const SECRETS = { signing: 'signing-secret-0123456789', admin: 'admin-secret-0123456789' };
const BODY = JSON.stringify({ orderId: 'o-1', amount: 100, currency: 'USD', token: 'tok_visa' });

/** The verification in front of two stand-in routes, on a clock the test sets. */
function aGateway(clock = { now: Date.now() }) {
  const app = new Hono();
  app.use('*', verifySignedRequests(SECRETS, { now: () => clock.now }));
  app.get('/health', (c) => c.json({ status: 'ok' }));
  app.post('/charges', async (c) => c.json({ received: await c.req.json() }, 201));
  app.put('/admin/faults', (c) => c.json({ changed: true }));
  return { app, clock };
}

const post = (app: Hono, headers: Record<string, string>, body = BODY, path = '/charges') =>
  app.request(path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
const signed = (secret = SECRETS.signing, { body = BODY, path = '/charges', method = 'POST', at = Date.now() } = {}) =>
  signatureHeaders(secret, { method, path, body }, at);

describe('the gateway accepts only signed calls', () => {
  it('accepts a signed call, and the route reads the body as sent', async () => {
    const { app } = aGateway();
    const response = await post(app, signed());
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({ received: JSON.parse(BODY) });
    expect((await app.request('/health')).status).toBe(200);
  });

  it('refuses a call with no signature, or with any one of its headers missing', async () => {
    const { app } = aGateway();
    expect((await post(app, {})).status).toBe(401);
    for (const header of [SIGNATURE_HEADER, TIMESTAMP_HEADER, NONCE_HEADER]) {
      const headers = signed();
      delete headers[header];
      expect((await post(app, headers)).status, `without ${header}`).toBe(401);
    }
  });

  it('refuses a bad signature: another secret, an altered body, another path', async () => {
    const { app } = aGateway();
    const refusedWith = async (headers: Record<string, string>, body?: string, path?: string) => {
      const response = await post(app, headers, body, path);
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ error: { code: 'unauthorized', message: expect.stringMatching(/signature/) } });
    };
    await refusedWith(signed('not-the-secret-at-all'));
    await refusedWith(signed(), BODY.replace('100', '1'));
    await refusedWith(signed(SECRETS.signing, { path: '/refunds' }));
  });

  it('refuses a replayed request within the window, and a retry with a fresh nonce goes through', async () => {
    const { app } = aGateway();
    const headers = signed();
    expect((await post(app, headers)).status).toBe(201);
    const replay = await post(app, headers);
    expect(replay.status).toBe(401);
    expect(await replay.json()).toMatchObject({ error: { message: expect.stringMatching(/replayed/) } });
    expect((await post(app, signed())).status).toBe(201);
  });

  it('refuses a timestamp outside the clock window, either way', async () => {
    const { app, clock } = aGateway();
    expect((await post(app, signed(SECRETS.signing, { at: clock.now - MAX_CLOCK_SKEW_MS - 1000 }))).status).toBe(401);
    expect((await post(app, signed(SECRETS.signing, { at: clock.now + MAX_CLOCK_SKEW_MS + 1000 }))).status).toBe(401);
    expect((await post(app, signed(SECRETS.signing, { at: clock.now - MAX_CLOCK_SKEW_MS + 1000 }))).status).toBe(201);
  });

  it('forgets a nonce once its timestamp has left the window (where the clock check refuses it)', async () => {
    const { app, clock } = aGateway();
    const headers = signed(SECRETS.signing, { at: clock.now });
    expect((await post(app, headers)).status).toBe(201);
    clock.now += MAX_CLOCK_SKEW_MS + 1;
    expect((await post(app, headers)).status).toBe(401); // stale now, not remembered
    expect((await post(app, signed(SECRETS.signing, { at: clock.now }))).status).toBe(201);
  });

  it('the admin routes need the admin secret: the client’s signing secret is refused there', async () => {
    const { app } = aGateway();
    const put = (secret: string) =>
      app.request('/admin/faults', {
        method: 'PUT',
        headers: { 'content-type': 'application/json', ...signed(secret, { method: 'PUT', path: '/admin/faults', body: '{}' }) },
        body: '{}',
      });
    expect((await put(SECRETS.signing)).status).toBe(401);
    expect((await put(SECRETS.admin)).status).toBe(200);
  });
});
