import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTokenEntries, tokenEntryLine } from './api-tokens.js';
import { EMBEDDED_DATABASE_URL, loadApiConfig } from './config.js';

const ELSEWHERE = 'postgres://orders@db.internal:5432/orders';

describe('API token configuration', () => {
  it('keeps only the hash of each token, with its role and subject', () => {
    const [admin, customer] = parseTokenEntries(`${tokenEntryLine('admin', 'ops', 'secret-a')},\n${tokenEntryLine('customer', 'cus_1', 'secret-b')}`, 'API_TOKENS');
    expect(admin).toMatchObject({ role: 'admin', subject: 'ops' });
    expect(customer).toMatchObject({ role: 'customer', subject: 'cus_1' });
    expect(admin!.hash).toHaveLength(32);
    expect(JSON.stringify([admin, customer])).not.toContain('secret-');
  });

  it('names each bad entry without echoing it: a raw token pasted in place of its hash is refused', () => {
    const parse = () => parseTokenEntries('admin:ops:my-raw-token,root:x:' + 'a'.repeat(64) + ',customer:cus_1', 'API_TOKENS');
    expect(parse).toThrow(/entry 1: the hash must be 64 hex digits.*entry 2: role must be one of admin, customer.*entry 3: expected role:subject:sha256hex/);
    expect(parse).not.toThrow(/my-raw-token/);
  });

  it('refuses the same token twice', () => {
    expect(() => loadApiConfig({ DATABASE_URL: ELSEWHERE, API_TOKENS: `${tokenEntryLine('admin', 'a', 't')},${tokenEntryLine('customer', 'c', 't')}` })).toThrow(
      /repeats the hash/,
    );
  });

  it('reads entries from API_TOKENS_FILE too, comments and blank lines ignored', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'tokens-')), 'tokens');
    writeFileSync(file, `# ours\n\n${tokenEntryLine('customer', 'cus_9', 'c9')}\n`);
    const config = loadApiConfig({ DATABASE_URL: ELSEWHERE, API_TOKENS: tokenEntryLine('admin', 'ops', 'a'), API_TOKENS_FILE: file });
    expect(config.tokens.map((t) => `${t.role}:${t.subject}`)).toEqual(['admin:ops', 'customer:cus_9']);
  });

  it('does not run open: without tokens it refuses, off the embedded default and on it (when npm start has made none)', () => {
    expect(() => loadApiConfig({ DATABASE_URL: ELSEWHERE })).toThrow(/no API tokens are configured.*does not run open/);
    const noDevTokens = join(mkdtempSync(join(tmpdir(), 'tokens-')), 'api-tokens');
    expect(() => loadApiConfig({ DATABASE_URL: EMBEDDED_DATABASE_URL, API_TOKENS: '' }, noDevTokens)).toThrow(/npm start/);
  });

  it('on the embedded default with nothing configured, takes the dev tokens npm start made; elsewhere never', () => {
    const devTokens = join(mkdtempSync(join(tmpdir(), 'tokens-')), 'api-tokens');
    writeFileSync(devTokens, `${tokenEntryLine('admin', 'dev-admin', 'dev')}\n`);
    expect(loadApiConfig({}, devTokens).tokens.map((t) => t.subject)).toEqual(['dev-admin']);
    expect(() => loadApiConfig({ DATABASE_URL: ELSEWHERE }, devTokens)).toThrow(/no API tokens/);
  });

  it('the API process exits at once and says why when it has no tokens', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/api/main.ts'], {
      env: { PATH: process.env.PATH, DATABASE_URL: ELSEWHERE },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/The API will not start: .*no API tokens are configured/);
  });
});
