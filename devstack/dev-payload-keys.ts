import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { newPayloadKeyEntry } from '../src/platform/codec/index.js';
import type { Env } from '../src/platform/config.js';

/** Made once per data folder and kept, so payloads written yesterday still decrypt today. */
function readOrCreate(path: string, create: () => string): string {
  if (!existsSync(path)) writeFileSync(path, `${create()}\n`, { mode: 0o600 });
  return readFileSync(path, 'utf8').trim();
}

export interface DevPayloadSecrets {
  /** What the API and the worker get: PAYLOAD_KEYS. */
  env: Env;
  /** False when the environment turned encryption off. */
  encrypted: boolean;
}

/**
 * The embedded default's payload key, under `<dataDir>/` (never in the repository).
 * An environment that sets PAYLOAD_KEYS (or PAYLOAD_ENCRYPTION=off) keeps its own.
 */
export function devPayloadSecrets(dataDir: string, env: Env): DevPayloadSecrets {
  if (env.PAYLOAD_ENCRYPTION === 'off') return { env: {}, encrypted: false };
  if (env.PAYLOAD_KEYS) return { env: {}, encrypted: true };
  mkdirSync(dataDir, { recursive: true });
  const keys = readOrCreate(join(dataDir, 'payload-keys'), () => newPayloadKeyEntry('dev-1'));
  return { env: { PAYLOAD_KEYS: keys }, encrypted: true };
}
