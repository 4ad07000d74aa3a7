import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Hono } from 'hono';
import { packageFiles } from './package-files.js';

/** Browsers may run and style this page only with files from this origin: no CDN, no inline script. */
export const API_REFERENCE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  // swagger-ui.css draws its icons as data: URIs.
  "img-src 'self' data:",
  "font-src 'self'",
  // The document itself, and "Try it out" requests to this API.
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const IMMUTABLE = 'public, max-age=31536000, immutable';
const INITIALISER = readFileSync(new URL('./initialise-swagger-ui.js', import.meta.url));
const INITIALISER_ETAG = `"${createHash('sha256').update(INITIALISER).digest('base64url').slice(0, 22)}"`;

const escapeAttribute = (text: string) => text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

export interface ApiReferenceOptions {
  /** Where the OpenAPI document is served, as the browser should fetch it. */
  documentUrl: string;
  title?: string;
}

/**
 * The API reference (Swagger UI) served by the API itself, from the pinned `swagger-ui-dist`
 * package: it works offline and behind a firewall. Mount it at a path, e.g. `/docs`:
 * the page is there, its assets under `<path>/assets/<version>/`. URLs in the page are relative to
 * it, so it also works behind a proxy that adds a path prefix.
 */
export function apiReference({ documentUrl, title = 'API reference' }: ApiReferenceOptions) {
  const swaggerUi = packageFiles('swagger-ui-dist');
  /** `here` is the page's last path segment (`docs`): relative links then hold wherever it is mounted. */
  const page = (here: string) => {
    const asset = (name: string) => `${here}/assets/${swaggerUi.version}/${name}`;
    return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeAttribute(title)}</title>
<link rel="stylesheet" href="${asset('swagger-ui.css')}">
<link rel="stylesheet" href="${asset('index.css')}">
<link rel="icon" type="image/png" sizes="32x32" href="${asset('favicon-32x32.png')}">
</head>
<body>
<div id="swagger-ui" data-openapi-url="${escapeAttribute(documentUrl)}"></div>
<script src="${asset('swagger-ui-bundle.js')}"></script>
<script src="${here}/initialise-swagger-ui.js"></script>
</body>
</html>
`;
  };

  return new Hono()
    .get('/', (c) => {
      return c.html(page(escapeAttribute(c.req.path.split('/').pop() ?? '')), 200, {
        'content-security-policy': API_REFERENCE_CSP,
        'cache-control': 'no-cache',
        'x-content-type-options': 'nosniff',
      });
    })
    .get('/initialise-swagger-ui.js', (c) => {
      const headers = { etag: INITIALISER_ETAG, 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff' };
      if (c.req.header('if-none-match') === INITIALISER_ETAG) return c.body(null, 304, headers);
      return c.body(INITIALISER, 200, { ...headers, 'content-type': 'text/javascript; charset=utf-8' });
    })
    .get('/assets/:version/:file', async (c) => {
      const file = c.req.param('version') === swaggerUi.version ? await swaggerUi.open(c.req.param('file')) : undefined;
      if (!file) return c.text('Not found\n', 404);
      return c.body(file.body, 200, {
        'content-type': file.contentType,
        'content-length': String(file.size),
        'cache-control': IMMUTABLE,
        'x-content-type-options': 'nosniff',
      });
    });
}
