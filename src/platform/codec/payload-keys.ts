import { randomBytes } from 'node:crypto';

/** AES-256 wants exactly 32 bytes of key. */
export const PAYLOAD_KEY_BYTES = 32;

/** Every key the codec knows, by ID; `current` encrypts new payloads, the others only decrypt old ones. */
export interface PayloadKeyring {
  current: string;
  keys: ReadonlyMap<string, Buffer>;
}

const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * Reads `PAYLOAD_KEYS` (`id:base64key,id:base64key`) and `PAYLOAD_KEY_CURRENT`. A keyring of one key
 * needs no current ID; with several, naming the current one is required, so a rotation is a deliberate
 * step: add the new key everywhere first, then make it current.
 */
export function parsePayloadKeyring(spec: string, currentId?: string): PayloadKeyring {
  const keys = new Map<string, Buffer>();
  for (const entry of spec
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const separator = entry.indexOf(':');
    const id = entry.slice(0, separator);
    if (separator < 0 || !KEY_ID.test(id)) throw new Error('PAYLOAD_KEYS: each entry is `id:base64key`, the id made of letters, digits, ".", "_" or "-"');
    const key = Buffer.from(entry.slice(separator + 1), 'base64');
    if (key.length !== PAYLOAD_KEY_BYTES) throw new Error(`PAYLOAD_KEYS: key "${id}" is ${key.length} bytes; AES-256-GCM needs ${PAYLOAD_KEY_BYTES}`);
    if (keys.has(id)) throw new Error(`PAYLOAD_KEYS: key "${id}" is listed twice`);
    keys.set(id, key);
  }
  if (keys.size === 0) throw new Error('PAYLOAD_KEYS holds no key');
  const current = currentId ?? (keys.size === 1 ? [...keys.keys()][0] : undefined);
  if (!current) throw new Error('PAYLOAD_KEY_CURRENT must name the key to encrypt with when PAYLOAD_KEYS holds several');
  if (!keys.has(current)) throw new Error(`PAYLOAD_KEY_CURRENT names "${current}", which is not in PAYLOAD_KEYS`);
  return { current, keys };
}

/** A fresh key as one `PAYLOAD_KEYS` entry: what the dev stack writes under `.data/` on first start. */
export const newPayloadKeyEntry = (id: string): string => `${id}:${randomBytes(PAYLOAD_KEY_BYTES).toString('base64')}`;
