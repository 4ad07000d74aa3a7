import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import type { PayloadCodecConfig } from './codec/codec-config.js';
import { parsePayloadKeyring, type PayloadKeyring } from './codec/payload-keys.js';

/**
 * Webhook signing secrets must be read back to sign, so they cannot be hashed: they are sealed with
 * AES-256-GCM under a key derived (HKDF-SHA256) from a PAYLOAD_KEYS key, and the sealed text names
 * that key's ID, so PAYLOAD_KEY_CURRENT can rotate while old secrets stay readable. A database dump
 * alone reveals no secret. With PAYLOAD_ENCRYPTION=off there is no key: secrets are then stored as
 * `plain:<secret>`, the same deliberate choice as plain-text payloads.
 */
export class WebhookSecrets {
  constructor(private readonly keyring: PayloadKeyring | undefined) {}

  /** A new signing secret, in the `whsec_` form receivers are given once. */
  static generate(): string {
    return `whsec_${randomBytes(32).toString('base64url')}`;
  }

  seal(secret: string): string {
    if (!this.keyring) return `plain:${secret}`;
    const keyId = this.keyring.current;
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv(ALGORITHM, this.keyFor(keyId), nonce);
    const sealed = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return `v1:${keyId}:${Buffer.concat([nonce, sealed]).toString('base64')}`;
  }

  open(sealed: string): string {
    if (sealed.startsWith('plain:')) return sealed.slice('plain:'.length);
    const [version, keyId, body] = sealed.split(':');
    if (version !== 'v1' || !keyId || !body || !this.keyring?.keys.has(keyId))
      throw new Error(`A webhook secret is sealed under key "${keyId ?? '?'}", which PAYLOAD_KEYS does not hold`);
    const data = Buffer.from(body, 'base64');
    const decipher = createDecipheriv(ALGORITHM, this.keyFor(keyId), data.subarray(0, NONCE_BYTES));
    decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
    return Buffer.concat([decipher.update(data.subarray(NONCE_BYTES, data.length - TAG_BYTES)), decipher.final()]).toString('utf8');
  }

  /** A key of its own for this purpose: the payload key itself never encrypts anything but payloads. */
  private keyFor(keyId: string): Buffer {
    return Buffer.from(hkdfSync('sha256', this.keyring!.keys.get(keyId)!, Buffer.alloc(0), 'orders/webhook-signing-secrets/v1', 32));
  }
}

const ALGORITHM = 'aes-256-gcm';
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

/** The sealer the configuration implies: PAYLOAD_KEYS when payloads are encrypted, plain text when PAYLOAD_ENCRYPTION=off. */
export function webhookSecretsFromConfig(config: PayloadCodecConfig): WebhookSecrets {
  if (config.PAYLOAD_ENCRYPTION === 'off' || !config.PAYLOAD_KEYS) return new WebhookSecrets(undefined);
  return new WebhookSecrets(parsePayloadKeyring(config.PAYLOAD_KEYS, config.PAYLOAD_KEY_CURRENT));
}
