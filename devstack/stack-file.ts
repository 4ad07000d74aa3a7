import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DevStack, DevStackUrls } from './dev-stack.js';

/**
 * What a running `npm start` tells the tools that come after it (`npm run demo`): where each
 * process listens, and whether payloads are encrypted. The tokens stay in dev-secrets.json.
 */
export interface StackFile {
  urls: DevStackUrls;
  namespace: string;
  payloadsEncrypted: boolean;
}

const STACK_FILE = 'stack.json';

export const stackFilePath = (dataDir: string) => join(dataDir, STACK_FILE);

export function writeStackFile(stack: Pick<DevStack, 'urls' | 'payloadsEncrypted' | 'dataDir'>): void {
  // The dev stack always runs the `default` namespace (see dev-stack.ts's service environment).
  const file: StackFile = { urls: stack.urls, namespace: 'default', payloadsEncrypted: stack.payloadsEncrypted };
  writeFileSync(stackFilePath(stack.dataDir), `${JSON.stringify(file, null, 2)}\n`);
}

/** Undefined when no stack has written one (or the last one stopped and removed it). */
export function readStackFile(dataDir: string): StackFile | undefined {
  const path = stackFilePath(dataDir);
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as StackFile) : undefined;
}

export const removeStackFile = (dataDir: string) => rmSync(stackFilePath(dataDir), { force: true });
