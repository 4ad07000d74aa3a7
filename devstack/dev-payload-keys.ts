import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tokenHash } from '../src/api/codec/index.js';
import { newPayloadKeyEntry } from '../src/platform/codec/index.js';
import type { Env } from '../src/platform/config.js';

/** Made once per data folder and kept, so payloads written yesterday still decrypt today. */
function readOrCreate(path: string, create: () => string): string {
  if (!existsSync(path)) writeFileSync(path, `${create()}\n`, { mode: 0o600 });
  return readFileSync(path, 'utf8').trim();
}

export interface DevPayloadSecrets {
  /** What the API and the worker get: PAYLOAD_KEYS, and the codec's admin token hash. */
  env: Env;
  /** The dev codec token in clear, for the banner; absent when the environment brought its own keys. */
  codecToken?: string;
}

/**
 * The embedded default's payload key and codec token, under `<dataDir>/` (never in the repository).
 * An environment that sets PAYLOAD_KEYS (or PAYLOAD_ENCRYPTION=off) keeps its own.
 */
export function devPayloadSecrets(dataDir: string, env: Env): DevPayloadSecrets {
  if (env.PAYLOAD_KEYS || env.PAYLOAD_ENCRYPTION === 'off') return { env: {} };
  mkdirSync(dataDir, { recursive: true });
  const keys = readOrCreate(join(dataDir, 'payload-keys'), () => newPayloadKeyEntry('dev-1'));
  const codecToken = readOrCreate(join(dataDir, 'codec-admin-token'), () => `codec_dev_${randomBytes(24).toString('base64url')}`);
  return {
    env: { PAYLOAD_KEYS: keys, CODEC_ADMIN_TOKEN_SHA256: env.CODEC_ADMIN_TOKEN_SHA256 ?? tokenHash(codecToken) },
    codecToken,
  };
}
