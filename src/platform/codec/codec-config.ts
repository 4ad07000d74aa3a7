import { z } from 'zod';
import type { DataConverter } from '@temporalio/common';
import { EncryptionCodec } from './encryption-codec.js';
import { parsePayloadKeyring } from './payload-keys.js';

const optionalText = z.preprocess((value) => (value === '' ? undefined : value), z.string().optional());

/** Part of the API's and the worker's configuration: both sides of Temporal must hold the same keys. */
export const payloadCodecSchema = {
  /** `id:base64key,...`: every key that may decrypt; from the environment or a secret store, never the repository. */
  PAYLOAD_KEYS: optionalText,
  /** The key new payloads are encrypted with; may be left out when there is one key. */
  PAYLOAD_KEY_CURRENT: optionalText,
  /** `off` stores payloads in plain text: a deliberate choice, never the result of a missing key. */
  PAYLOAD_ENCRYPTION: z.enum(['on', 'off']).default('on'),
};

export interface PayloadCodecConfig {
  PAYLOAD_KEYS?: string;
  PAYLOAD_KEY_CURRENT?: string;
  PAYLOAD_ENCRYPTION: 'on' | 'off';
}

/** The codec the configuration asks for; refuses to run unencrypted by accident. */
export function payloadCodecFromConfig(config: PayloadCodecConfig): EncryptionCodec | undefined {
  if (config.PAYLOAD_ENCRYPTION === 'off') return undefined;
  if (!config.PAYLOAD_KEYS) {
    throw new Error(
      'PAYLOAD_KEYS is not set: Temporal payloads (payment tokens, customer data) would be stored in plain text. ' +
        'Set PAYLOAD_KEYS=id:base64key (32 random bytes, e.g. `openssl rand -base64 32`), or PAYLOAD_ENCRYPTION=off to choose plain text. ' +
        '`npm start` makes a dev key under .data/.',
    );
  }
  return new EncryptionCodec(parsePayloadKeyring(config.PAYLOAD_KEYS, config.PAYLOAD_KEY_CURRENT));
}

/** The data converter of every client and worker: the SDK's JSON converter, then the codec when there is one. */
export const orderDataConverter = (codec: EncryptionCodec | undefined): DataConverter => (codec ? { payloadCodecs: [codec] } : {});
