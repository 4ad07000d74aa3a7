import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

/**
 * The API's bearer tokens, as configuration gives them: `role:subject:sha256hex(token)` entries,
 * comma- or newline-separated, from API_TOKENS and/or the file API_TOKENS_FILE names. Only the
 * hashes are ever held, so a leaked configuration or heap dump does not leak a usable token.
 */
export const ROLES = ['admin', 'customer'] as const;
export type Role = (typeof ROLES)[number];

export interface TokenEntry {
  role: Role;
  /** An admin's name (for audit records), or the customer ID a customer token is bound to. */
  subject: string;
  /** SHA-256 of the token, 32 bytes. */
  hash: Buffer;
}

const SHA256_HEX = /^[0-9a-f]{64}$/i;
const SUBJECT = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;

export function hashToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

/** The configuration line for a token: what `npm start` writes and what an operator puts in API_TOKENS. */
export const tokenEntryLine = (role: Role, subject: string, token: string): string => `${role}:${subject}:${hashToken(token).toString('hex')}`;

/** Parses entries, naming every bad one by its position; never echoes an entry, since a mistake may paste a raw token. */
export function parseTokenEntries(text: string, source: string): TokenEntry[] {
  const problems: string[] = [];
  const entries = text
    .split(/[,\n]/)
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '' && !entry.startsWith('#'))
    .flatMap((entry, index): TokenEntry[] => {
      const [role, subject, hex, ...rest] = entry.split(':');
      const where = `${source} entry ${index + 1}`;
      if (rest.length > 0 || hex === undefined) problems.push(`${where}: expected role:subject:sha256hex`);
      else if (!ROLES.includes(role as Role)) problems.push(`${where}: role must be one of ${ROLES.join(', ')}`);
      else if (!SUBJECT.test(subject ?? '')) problems.push(`${where}: subject must be 1-64 letters, digits, . _ @ or -`);
      else if (!SHA256_HEX.test(hex)) problems.push(`${where}: the hash must be 64 hex digits (sha256 of the token), not the token itself`);
      else return [{ role: role as Role, subject: subject!, hash: Buffer.from(hex, 'hex') }];
      return [];
    });
  if (problems.length > 0) throw new Error(problems.join('; '));
  return entries;
}

/** One token, one principal: the same hash under two entries would make the bearer ambiguous. */
function refuseDuplicates(entries: TokenEntry[]): TokenEntry[] {
  const seen = new Set<string>();
  for (const [index, entry] of entries.entries()) {
    const hex = entry.hash.toString('hex');
    if (seen.has(hex)) throw new Error(`token entry ${index + 1} (${entry.role}:${entry.subject}) repeats the hash of an earlier entry`);
    seen.add(hex);
  }
  return entries;
}

/** Every entry from API_TOKENS and API_TOKENS_FILE; an unreadable file is an error, not an empty list. */
export function loadTokenEntries(inline: string | undefined, file: string | undefined): TokenEntry[] {
  const fromFile = file ? parseTokenEntries(readFileSync(file, 'utf8'), `API_TOKENS_FILE (${file})`) : [];
  return refuseDuplicates([...parseTokenEntries(inline ?? '', 'API_TOKENS'), ...fromFile]);
}
