import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { documentText, openApiDocument } from '../../client/openapi-document.js';
import { typescriptTypes } from '../../client/typescript-types.js';

const committed = (path: string) => readFile(fileURLToPath(new URL(`../../client/${path}`, import.meta.url)), 'utf8');
const STALE = 'is stale: the API changed since it was generated. Run `npm run client:generate` and commit the result.';

describe('the committed client files are what the API documents now', () => {
  it('client/openapi.json is the document createApp serves', async () => {
    const current = documentText(await openApiDocument());
    expect(await committed('openapi.json'), `client/openapi.json ${STALE}`).toBe(current);
  });

  it('client/openapi.d.ts is what openapi-typescript makes of it', async () => {
    const current = await typescriptTypes(await openApiDocument());
    expect(current).toContain('export interface paths');
    expect(current).toContain('"/orders/{id}/cancel"');
    expect(await committed('openapi.d.ts'), `client/openapi.d.ts ${STALE}`).toBe(current);
  });
});
