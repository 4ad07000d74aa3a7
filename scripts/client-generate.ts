/**
 * `npm run client:generate`: writes the API's OpenAPI document (client/openapi.json) and its
 * TypeScript types (client/openapi.d.ts) from createApp itself, with no server running.
 * A test fails while the committed files differ from what this would write.
 */
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { documentText, openApiDocument } from '../client/openapi-document.js';
import { typescriptTypes } from '../client/typescript-types.js';

const document = await openApiDocument();
const targets = [
  ['../client/openapi.json', documentText(document)],
  ['../client/openapi.d.ts', await typescriptTypes(document)],
] as const;
for (const [path, text] of targets) {
  await writeFile(fileURLToPath(new URL(path, import.meta.url)), text);
  console.log(`wrote ${path.slice(3)}`);
}
process.exit(0);
