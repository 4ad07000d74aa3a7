import { createRequire } from 'node:module';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { API_REFERENCE_CSP, apiReference } from './api-reference.js';

const VERSION = (createRequire(import.meta.url)('swagger-ui-dist/package.json') as { version: string }).version;
const app = new Hono().route('/docs', apiReference({ documentUrl: '/openapi.json', title: 'Orders API reference' }));

describe('the API reference page, served with its assets from swagger-ui-dist', () => {
  it('is HTML under a same-origin-only CSP, with no inline script, loading its files from this origin', async () => {
    const response = await app.request('/docs');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('content-security-policy')).toBe(API_REFERENCE_CSP);
    expect(API_REFERENCE_CSP).toContain("script-src 'self'");
    expect(API_REFERENCE_CSP).not.toMatch(/unsafe-inline|unsafe-eval|https?:/);
    expect(response.headers.get('cache-control')).toBe('no-cache');
    const html = await response.text();
    // Every <script> has a src and no body: the initialiser is a file of its own.
    const scripts = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.map(([, attributes]) => /src="([^"]+)"/.exec(attributes!)?.[1])).toEqual([
      `docs/assets/${VERSION}/swagger-ui-bundle.js`,
      'docs/initialise-swagger-ui.js',
    ]);
    expect(scripts.map(([, , body]) => body!.trim())).toEqual(['', '']);
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).toContain('data-openapi-url="/openapi.json"');
    expect(html).toContain('<title>Orders API reference</title>');
  });

  it('streams the package’s files with their content types, cached for good under the versioned URL', async () => {
    for (const [file, type] of [
      ['swagger-ui-bundle.js', 'text/javascript; charset=utf-8'],
      ['swagger-ui.css', 'text/css; charset=utf-8'],
      ['favicon-32x32.png', 'image/png'],
    ] as const) {
      const response = await app.request(`/docs/assets/${VERSION}/${file}`);
      expect(response.status, file).toBe(200);
      expect(response.headers.get('content-type'), file).toBe(type);
      expect(response.headers.get('cache-control'), file).toBe('public, max-age=31536000, immutable');
      expect(response.headers.get('x-content-type-options'), file).toBe('nosniff');
      const body = new Uint8Array(await response.arrayBuffer());
      expect(body.byteLength, file).toBe(Number(response.headers.get('content-length')));
      expect(body.byteLength, file).toBeGreaterThan(100);
    }
  });

  it('serves the initialiser revalidated by ETag, since it changes with this code rather than the package', async () => {
    const first = await app.request('/docs/initialise-swagger-ui.js');
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await first.text()).toContain('SwaggerUIBundle(');
    const etag = first.headers.get('etag')!;
    const again = await app.request('/docs/initialise-swagger-ui.js', { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
  });

  it('serves nothing outside the package’s top-level assets: traversal, other versions, other kinds of file', async () => {
    for (const path of [
      `/docs/assets/${VERSION}/..%2Fpackage.json`,
      `/docs/assets/${VERSION}/%2e%2e%2f%2e%2e%2fpackage.json`,
      `/docs/assets/${VERSION}/..%2F..%2Fhono%2Fdist%2Findex.js`,
      `/docs/assets/${VERSION}/..%5Cindex.js`,
      `/docs/assets/${VERSION}/%2Fetc%2Fpasswd`,
      `/docs/assets/${VERSION}/package.json`,
      `/docs/assets/${VERSION}/index.html`,
      `/docs/assets/${VERSION}/.hidden.js`,
      `/docs/assets/${VERSION}/missing.js`,
      `/docs/assets/0.0.1/swagger-ui.css`,
      `/docs/assets/..%2F..%2F/swagger-ui.css`,
    ]) {
      const response = await app.request(path);
      expect(response.status, path).toBe(404);
      expect(await response.text(), path).toBe('Not found\n');
    }
  });
});
