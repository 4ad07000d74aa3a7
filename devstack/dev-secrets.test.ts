import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTokenEntries } from '../src/platform/api-tokens.js';
import { hashToken } from '../src/platform/api-tokens.js';
import { DEMO_CUSTOMER_ID, ensureDevSecrets } from './dev-secrets.js';

describe('the dev tokens and secrets npm start keeps', () => {
  it('are made once, kept private (0600), and the same on the next start', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'dev-secrets-'));
    const first = ensureDevSecrets(dataDir);
    const again = ensureDevSecrets(dataDir);
    expect(again).toEqual(first);
    for (const file of ['dev-secrets.json', 'api-tokens']) expect(statSync(join(dataDir, file)).mode & 0o777, file).toBe(0o600);
    expect(new Set([first.adminToken, first.customerToken, first.paymentGatewaySecret, first.paymentsAdminSecret]).size).toBe(4);
  });

  it('give the API the hashes of an admin and a demo customer token, never the tokens', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'dev-secrets-'));
    const secrets = ensureDevSecrets(dataDir);
    const text = readFileSync(secrets.apiTokensFile, 'utf8');
    expect(text).not.toContain(secrets.adminToken);
    expect(text).not.toContain(secrets.customerToken);
    const entries = loadTokenEntries(undefined, secrets.apiTokensFile);
    expect(entries.map(({ role, subject }) => `${role}:${subject}`)).toEqual(['admin:dev-admin', `customer:${DEMO_CUSTOMER_ID}`]);
    expect(entries[0]!.hash.equals(hashToken(secrets.adminToken))).toBe(true);
    expect(entries[1]!.hash.equals(hashToken(secrets.customerToken))).toBe(true);
  });
});
