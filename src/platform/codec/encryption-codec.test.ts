import { defaultPayloadConverter } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { EncryptionCodec, ENCRYPTED_ENCODING, KEY_ID_METADATA, PayloadDecryptionError } from './encryption-codec.js';
import { payloadCodecFromConfig } from './codec-config.js';
import { newPayloadKeyEntry, parsePayloadKeyring } from './payload-keys.js';

const ORDER = { orderId: 'o-1', customerId: 'cus_secret', paymentToken: 'tok_visa_4242' };
const asText = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? []).toString('latin1');
const codecWith = (spec: string, current?: string) => new EncryptionCodec(parsePayloadKeyring(spec, current));

describe('the payload codec (AES-256-GCM with a key ID)', () => {
  const oldKey = newPayloadKeyEntry('2024-01');
  const newKey = newPayloadKeyEntry('2025-01');

  it('encrypts a payload so neither its value nor its encoding shows, and decrypts it back', async () => {
    const codec = codecWith(oldKey);
    const plain = defaultPayloadConverter.toPayload(ORDER);
    const [sealed] = await codec.encode([plain]);
    expect(asText(sealed!.metadata!.encoding)).toBe(ENCRYPTED_ENCODING);
    expect(asText(sealed!.metadata![KEY_ID_METADATA])).toBe('2024-01');
    expect(asText(sealed!.data)).not.toContain('tok_visa_4242');
    expect(asText(sealed!.data)).not.toContain('cus_secret');
    expect(asText(sealed!.data)).not.toContain('json/plain');
    const [opened] = await codec.decode([sealed!]);
    expect(defaultPayloadConverter.fromPayload(opened!)).toEqual(ORDER);
  });

  it('uses a fresh nonce for every payload: the same value never encrypts the same twice', async () => {
    const codec = codecWith(oldKey);
    const plain = defaultPayloadConverter.toPayload(ORDER);
    const [a, b] = await codec.encode([plain, plain]);
    expect(Buffer.from(a!.data!).equals(Buffer.from(b!.data!))).toBe(false);
  });

  it('after a rotation, encrypts with the current key and still decrypts what the old key wrote', async () => {
    const [written] = await codecWith(oldKey).encode([defaultPayloadConverter.toPayload(ORDER)]);
    const rotated = codecWith(`${oldKey},${newKey}`, '2025-01');
    const [fresh] = await rotated.encode([defaultPayloadConverter.toPayload(ORDER)]);
    expect(asText(fresh!.metadata![KEY_ID_METADATA])).toBe('2025-01');
    const decoded = await rotated.decode([written!, fresh!]);
    expect(decoded.map((p) => defaultPayloadConverter.fromPayload(p))).toEqual([ORDER, ORDER]);
  });

  it('refuses a payload under a key it does not hold, and a ciphertext that was tampered with', async () => {
    const [written] = await codecWith(oldKey).encode([defaultPayloadConverter.toPayload(ORDER)]);
    await expect(codecWith(newKey).decode([written!])).rejects.toThrow(PayloadDecryptionError);
    await expect(codecWith(newKey).decode([written!])).rejects.toThrow('No payload key "2024-01"');
    const tampered = Buffer.from(written!.data!);
    tampered[20] = tampered[20]! ^ 1;
    await expect(codecWith(oldKey).decode([{ ...written!, data: tampered }])).rejects.toThrow('failed authentication');
  });

  it('passes through payloads that were never encrypted, so histories from before encryption stay readable', async () => {
    const plain = defaultPayloadConverter.toPayload(ORDER);
    expect(await codecWith(oldKey).decode([plain])).toEqual([plain]);
  });
});

describe('payload key configuration', () => {
  it('refuses to run unencrypted unless told so', () => {
    expect(() => payloadCodecFromConfig({ PAYLOAD_ENCRYPTION: 'on' })).toThrow(/PAYLOAD_KEYS is not set/);
    expect(payloadCodecFromConfig({ PAYLOAD_ENCRYPTION: 'off' })).toBeUndefined();
    expect(payloadCodecFromConfig({ PAYLOAD_ENCRYPTION: 'on', PAYLOAD_KEYS: newPayloadKeyEntry('k') })).toBeInstanceOf(EncryptionCodec);
  });

  it('names what is wrong with a key list', () => {
    expect(() => parsePayloadKeyring('k:c2hvcnQ=')).toThrow('key "k" is 5 bytes; AES-256-GCM needs 32');
    expect(() => parsePayloadKeyring('no-separator')).toThrow('each entry is `id:base64key`');
    const [a, b] = [newPayloadKeyEntry('a'), newPayloadKeyEntry('b')];
    expect(() => parsePayloadKeyring(`${a},${b}`)).toThrow('PAYLOAD_KEY_CURRENT must name the key');
    expect(() => parsePayloadKeyring(`${a},${b}`, 'c')).toThrow('names "c", which is not in PAYLOAD_KEYS');
    expect(parsePayloadKeyring(`${a},${b}`, 'b').current).toBe('b');
  });
});
