import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Payload, PayloadCodec } from '@temporalio/common';
// A CommonJS package whose named exports Node's ESM loader cannot see: take them from the default export.
import protos from '@temporalio/proto';
import type { PayloadKeyring } from './payload-keys.js';

/** The metadata an encrypted payload carries; the key ID lets keys rotate without re-encrypting history. */
export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';

const { Payload: PayloadProto } = protos.temporal.api.common.v1;
const ALGORITHM = 'aes-256-gcm';
/** GCM's standard 96-bit nonce, fresh for every payload; the 128-bit tag authenticates the ciphertext. */
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

const utf8 = (bytes: Uint8Array | null | undefined) => (bytes ? Buffer.from(bytes).toString('utf8') : undefined);

/** Thrown when a payload cannot be decrypted: an unknown key ID, or ciphertext that fails authentication. */
export class PayloadDecryptionError extends Error {
  override name = 'PayloadDecryptionError';
}

/**
 * Encrypts each whole payload (its metadata too, so even the encoding of the value is hidden) with
 * AES-256-GCM under the keyring's current key. Decoding accepts any known key, and passes through
 * payloads that were never encrypted: histories from before encryption stay readable.
 */
export class EncryptionCodec implements PayloadCodec {
  constructor(private readonly keyring: PayloadKeyring) {}

  async encode(payloads: Payload[]): Promise<Payload[]> {
    const keyId = this.keyring.current;
    const key = this.keyring.keys.get(keyId)!;
    return payloads.map((payload) => {
      const nonce = randomBytes(NONCE_BYTES);
      const cipher = createCipheriv(ALGORITHM, key, nonce);
      const sealed = Buffer.concat([cipher.update(PayloadProto.encode(payload).finish()), cipher.final()]);
      return {
        metadata: { encoding: Buffer.from(ENCRYPTED_ENCODING), [KEY_ID_METADATA]: Buffer.from(keyId) },
        data: Buffer.concat([nonce, sealed, cipher.getAuthTag()]),
      };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      if (utf8(payload.metadata?.encoding) !== ENCRYPTED_ENCODING) return payload;
      const keyId = utf8(payload.metadata?.[KEY_ID_METADATA]);
      const key = keyId === undefined ? undefined : this.keyring.keys.get(keyId);
      if (!key) throw new PayloadDecryptionError(`No payload key "${keyId ?? '(none)'}" in PAYLOAD_KEYS to decrypt with`);
      const data = Buffer.from(payload.data ?? []);
      if (data.length < NONCE_BYTES + TAG_BYTES) throw new PayloadDecryptionError('An encrypted payload is too short to hold a nonce and a tag');
      const decipher = createDecipheriv(ALGORITHM, key, data.subarray(0, NONCE_BYTES));
      decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
      try {
        const plain = Buffer.concat([decipher.update(data.subarray(NONCE_BYTES, data.length - TAG_BYTES)), decipher.final()]);
        return PayloadProto.decode(plain);
      } catch {
        throw new PayloadDecryptionError(`An encrypted payload failed authentication under key "${keyId}"`);
      }
    });
  }
}
