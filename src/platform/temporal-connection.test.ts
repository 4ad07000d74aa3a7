import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createSecureServer, type Http2SecureServer, type IncomingHttpHeaders } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectClient, connectWorkerConnection, DEFAULT_TEMPORAL_ADDRESS, temporalSettings } from './temporal-connection.js';

/**
 * Temporal Cloud is reached by configuration alone: an API key or a client certificate, from the
 * environment or a temporal.toml profile, read by the SDK's envconfig. No Cloud account is
 * reachable here, so a local TLS endpoint stands in for it and records what the client sends.
 */
describe('the Temporal connection, from configuration', () => {
  const dir = mkdtempSync(join(tmpdir(), 'temporal-connection-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('on nothing, is the dev server on loopback, in plain text, namespace default', () => {
    expect(temporalSettings({ HOME: dir })).toMatchObject({
      connectionOptions: { address: DEFAULT_TEMPORAL_ADDRESS, apiKey: undefined, tls: undefined },
      namespace: 'default',
    });
  });

  it('with TEMPORAL_API_KEY, is TLS with the key, to the Cloud namespace’s endpoint', () => {
    const settings = temporalSettings({
      HOME: dir,
      TEMPORAL_ADDRESS: 'orders.a1b2c.tmprl.cloud:7233',
      TEMPORAL_NAMESPACE: 'orders.a1b2c',
      TEMPORAL_API_KEY: 'cloud-api-key',
    });
    expect(settings).toEqual({
      connectionOptions: { address: 'orders.a1b2c.tmprl.cloud:7233', apiKey: 'cloud-api-key', tls: true },
      namespace: 'orders.a1b2c',
    });
  });

  it('from a temporal.toml profile (TEMPORAL_CONFIG_FILE, TEMPORAL_PROFILE): mTLS with the client certificate, gRPC metadata; the environment overrides it', () => {
    writeFileSync(join(dir, 'client.pem'), 'CLIENT CERT');
    writeFileSync(join(dir, 'client.key'), 'CLIENT KEY');
    const toml = join(dir, 'temporal.toml');
    writeFileSync(
      toml,
      [
        '[profile.cloud]',
        'address = "orders.a1b2c.tmprl.cloud:7233"',
        'namespace = "orders.a1b2c"',
        '[profile.cloud.tls]',
        `client_cert_path = "${join(dir, 'client.pem')}"`,
        `client_key_path = "${join(dir, 'client.key')}"`,
        '[profile.cloud.grpc_meta]',
        'x-team = "orders"',
      ].join('\n'),
    );
    const settings = temporalSettings({ HOME: dir, TEMPORAL_CONFIG_FILE: toml, TEMPORAL_PROFILE: 'cloud' });
    expect(settings.namespace).toBe('orders.a1b2c');
    expect(settings.connectionOptions).toMatchObject({ address: 'orders.a1b2c.tmprl.cloud:7233', metadata: { 'x-team': 'orders' } });
    const { clientCertPair } = settings.connectionOptions.tls as { clientCertPair: { crt: Uint8Array; key: Uint8Array } };
    expect([Buffer.from(clientCertPair.crt).toString(), Buffer.from(clientCertPair.key).toString()]).toEqual(['CLIENT CERT', 'CLIENT KEY']);
    expect(temporalSettings({ HOME: dir, TEMPORAL_CONFIG_FILE: toml, TEMPORAL_PROFILE: 'cloud', TEMPORAL_NAMESPACE: 'orders-staging.a1b2c' }).namespace).toBe(
      'orders-staging.a1b2c',
    );
  });

  it('refuses a profile that the file does not have, rather than falling back to the dev server', () => {
    writeFileSync(join(dir, 'empty.toml'), '[profile.default]\naddress = "127.0.0.1:7233"\n');
    expect(() => temporalSettings({ HOME: dir, TEMPORAL_CONFIG_FILE: join(dir, 'empty.toml'), TEMPORAL_PROFILE: 'cloud' })).toThrow(/Profile 'cloud' not found/);
  });

  describe('on the wire, against a TLS endpoint standing in for Cloud', () => {
    let server: Http2SecureServer;
    let address: string;
    const seen: IncomingHttpHeaders[] = [];

    beforeAll(async () => {
      // A private CA and a certificate for 127.0.0.1 signed by it, trusted through TEMPORAL_TLS_SERVER_CA_CERT_PATH.
      const openssl = (...args: string[]) => promisify(execFile)('openssl', args, { cwd: dir });
      await openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=test-ca', '-keyout', 'ca.key', '-out', 'ca.pem');
      await openssl(
        'req',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=DNS:localhost,IP:127.0.0.1',
        '-keyout',
        'server.key',
        '-out',
        'server.csr',
      );
      await openssl(
        'x509',
        '-req',
        '-in',
        'server.csr',
        '-CA',
        'ca.pem',
        '-CAkey',
        'ca.key',
        '-CAcreateserial',
        '-days',
        '1',
        '-copy_extensions',
        'copy',
        '-out',
        'server.pem',
      );
      server = createSecureServer({ key: readFileSync(join(dir, 'server.key')), cert: readFileSync(join(dir, 'server.pem')) }, (request, response) => {
        seen.push(request.headers);
        // Any gRPC answer will do: UNIMPLEMENTED is what an old server says to GetSystemInfo, and the client accepts it.
        response.writeHead(200, { 'content-type': 'application/grpc' });
        response.addTrailers({ 'grpc-status': '12', 'grpc-message': 'stand-in' });
        response.end();
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      address = `127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('sends the API key as a bearer token, over TLS, from the environment alone', async () => {
      const settings = temporalSettings({
        HOME: dir,
        TEMPORAL_ADDRESS: address,
        TEMPORAL_NAMESPACE: 'orders.a1b2c',
        TEMPORAL_API_KEY: 'cloud-api-key',
        TEMPORAL_TLS_SERVER_CA_CERT_PATH: join(dir, 'ca.pem'),
        TEMPORAL_GRPC_META_X_TEAM: 'orders',
      });
      const client = await connectClient(settings);
      await client.connection.close();
      expect(seen.length).toBeGreaterThan(0);
      expect(seen[0]).toMatchObject({
        ':scheme': 'https',
        ':path': '/temporal.api.workflowservice.v1.WorkflowService/GetSystemInfo',
        authorization: 'Bearer cloud-api-key',
      });
      expect(seen[0]?.['x-team']).toBe('orders');
    });

    it('does the same from the worker’s native connection (the Rust core’s own TLS stack)', async () => {
      seen.length = 0;
      const settings = temporalSettings({
        HOME: dir,
        TEMPORAL_ADDRESS: address,
        TEMPORAL_API_KEY: 'cloud-api-key',
        TEMPORAL_TLS_SERVER_CA_CERT_PATH: join(dir, 'ca.pem'),
      });
      // The core, unlike the client, insists on a real GetSystemInfo answer; the request it sent is what counts here.
      await expect(connectWorkerConnection(settings)).rejects.toThrow(/GetSystemInfo.*stand-in/);
      expect(seen[0]).toMatchObject({ ':scheme': 'https', authorization: 'Bearer cloud-api-key' });
    });
  });
});
