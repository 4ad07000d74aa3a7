import type { Client } from '@temporalio/client';
import { createApp } from '../src/api/app.js';
import type { Database } from '../src/db/client.js';
import { createLogger } from '../src/platform/logger.js';

/**
 * The OpenAPI document exactly as the API serves it, without a server, a database or Temporal:
 * GET /openapi.json touches none of its dependencies, so stand-ins that would throw on use will do.
 */
export async function openApiDocument(): Promise<unknown> {
  const app = createApp({
    db: {} as Database,
    temporal: {} as Client,
    taskQueue: 'unused',
    logger: createLogger({ name: 'client-generate', level: 'silent', pretty: false }),
    tokens: [],
  });
  const response = await app.request('/openapi.json');
  if (response.status !== 200) throw new Error(`GET /openapi.json answered ${response.status}: ${await response.text()}`);
  return response.json();
}

/** As committed in client/openapi.json: two-space JSON with a final newline, so diffs read well. */
export const documentText = (document: unknown) => `${JSON.stringify(document, null, 2)}\n`;
