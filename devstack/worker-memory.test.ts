import { mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WORKER_MEMORY_DEFAULTS } from '../src/platform/config.js';
import { pruneCompiledWorkers, workerNodeArgs } from './worker-memory.js';

describe('the memory flags the stack’s worker runs with', () => {
  const semiSpace = `--max-semi-space-size=${WORKER_MEMORY_DEFAULTS.maxSemiSpaceMb}`;

  it('caps the heap at the default unless WORKER_MAX_HEAP_MB names another size, or 0 for V8’s own limit', () => {
    expect(workerNodeArgs({})).toEqual([`--max-old-space-size=${WORKER_MEMORY_DEFAULTS.maxHeapMb}`, semiSpace]);
    expect(workerNodeArgs({ WORKER_MAX_HEAP_MB: '512' })).toEqual(['--max-old-space-size=512', semiSpace]);
    expect(workerNodeArgs({ WORKER_MAX_HEAP_MB: '0' })).toEqual([semiSpace]);
  });

  it('keeps the young generation small unless WORKER_MAX_SEMI_SPACE_MB names another size, or 0 for V8’s own', () => {
    expect(workerNodeArgs({ WORKER_MAX_SEMI_SPACE_MB: '16' })).toContain('--max-semi-space-size=16');
    expect(workerNodeArgs({ WORKER_MAX_HEAP_MB: '0', WORKER_MAX_SEMI_SPACE_MB: '0' })).toEqual([]);
  });

  it('refuses a size that is not a whole number of megabytes', () => {
    expect(() => workerNodeArgs({ WORKER_MAX_HEAP_MB: '256MB' })).toThrow(/WORKER_MAX_HEAP_MB/);
    expect(() => workerNodeArgs({ WORKER_MAX_HEAP_MB: '-5' })).toThrow(/WORKER_MAX_HEAP_MB/);
    expect(() => workerNodeArgs({ WORKER_MAX_SEMI_SPACE_MB: '4.5' })).toThrow(/WORKER_MAX_SEMI_SPACE_MB/);
  });
});

describe('pruneCompiledWorkers', () => {
  it('removes the compiled workers not used for a day, and keeps the current one, recent ones and the image’s', () => {
    const dir = mkdtempSync(join(tmpdir(), 'compiled-workers-'));
    try {
      const now = Date.now();
      const file = (name: string, ageHours: number) => {
        const path = join(dir, name);
        writeFileSync(path, '');
        const at = new Date(now - ageHours * 3600_000);
        utimesSync(path, at, at);
        return path;
      };
      const current = file('main-00000000000000aa.mjs', 48);
      file('main-00000000000000bb.mjs', 30);
      file('main-00000000000000cc.mjs.123.partial', 30);
      file('main-00000000000000dd.mjs', 2);
      file('main.mjs', 100);
      expect(pruneCompiledWorkers(dir, current, now).sort()).toEqual(['main-00000000000000bb.mjs', 'main-00000000000000cc.mjs.123.partial']);
      expect(readdirSync(dir).sort()).toEqual(['main-00000000000000aa.mjs', 'main-00000000000000dd.mjs', 'main.mjs']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
