import { describe, expect, it } from 'vitest';
import { StatusTally } from './status-tally.js';

describe('StatusTally', () => {
  it('counts per phase the 503s that lack problem+json or Retry-After, and the slowest answer', () => {
    const tally = new StatusTally();
    tally.record(202, 'before', { problemJson: false, retryAfter: false, ms: 40 });
    tally.phase = 'fault';
    tally.record(503, undefined, { problemJson: true, retryAfter: true, ms: 5 });
    tally.record(503, undefined, { problemJson: false, retryAfter: true, ms: 900 });
    tally.record(503, undefined, { problemJson: true, retryAfter: false, ms: 12 });
    tally.record('ERR', undefined, { problemJson: false, retryAfter: false, ms: 15_000 });

    expect(tally.shapesOf('fault')).toEqual({ unavailable: 3, withoutProblemJson: 1, withoutRetryAfter: 1, slowestMs: 15_000 });
    expect(tally.shapesOf('before')).toEqual({ unavailable: 0, withoutProblemJson: 0, withoutRetryAfter: 0, slowestMs: 40 });
    expect(tally.count('503', 'fault')).toBe(3);
    expect(tally.count('503', 'before')).toBe(0);
    expect(tally.count('ERR')).toBe(1);
    expect(tally.summary('fault')).toBe('503×3 ERR×1');
  });
});
