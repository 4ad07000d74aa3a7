import { describe, expect, it } from 'vitest';
import { WORKER_MEMORY_DEFAULTS } from '../src/platform/config.js';
import { workerNodeArgs } from './worker-memory.js';

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
