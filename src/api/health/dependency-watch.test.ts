import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../platform/logger.js';
import { DependencyWatch } from './dependency-watch.js';

const quiet = createLogger({ name: 'watch-test', level: 'silent', pretty: false });

/** Probes whose answers a test switches; each counts how often it was asked. */
function switchableProbes() {
  const up = { database: true, temporal: true };
  const asked = { database: 0, temporal: 0 };
  const probe = (name: keyof typeof up) => () => {
    asked[name]++;
    return up[name] ? Promise.resolve() : Promise.reject(new Error(`${name} is down`));
  };
  return { up, asked, probes: { database: probe('database'), temporal: probe('temporal') } };
}

describe('the dependency watch behind load shedding', () => {
  // The watch reads the clock to decide when a look is stale: a fake one moves on without waiting.
  beforeEach(() => vi.useFakeTimers({ toFake: ['Date'] }));
  afterEach(() => vi.useRealTimers());

  it('while all is well it never probes: requests go ahead and cost nothing', () => {
    const { asked, probes } = switchableProbes();
    const watch = new DependencyWatch(probes, quiet, { recheckMs: 1_000 });
    for (let i = 0; i < 5; i++) {
      expect(watch.down(['database', 'temporal'])).toEqual([]);
      vi.advanceTimersByTime(2_000);
    }
    expect(asked).toEqual({ database: 0, temporal: 0 });
  });

  it('a suspect request makes it look; a dependency seen down is reported only to the writes that need it', async () => {
    const { up, probes } = switchableProbes();
    up.temporal = false;
    const watch = new DependencyWatch(probes, quiet);
    watch.suspect();
    await watch.look();
    expect(watch.down(['database', 'temporal'])).toEqual(['temporal']);
    expect(watch.down(['database'])).toEqual([]);
    expect(watch.retryAfterSeconds).toBe(1);
  });

  it('while one is down it looks again once the last look is stale, and writes go through once it is back', async () => {
    const { up, asked, probes } = switchableProbes();
    up.database = false;
    const watch = new DependencyWatch(probes, quiet, { recheckMs: 1_000 });
    await watch.look();
    up.database = true;
    // Not stale yet: still down, and no new look.
    expect(watch.down(['database'])).toEqual(['database']);
    expect(asked.database).toBe(1);

    vi.advanceTimersByTime(1_000);
    expect(watch.down(['database'])).toEqual(['database']);
    // That request started the next look, in the background; once it is in, the database is back.
    await watch.look();
    expect(asked.database).toBe(2);
    expect(watch.down(['database', 'temporal'])).toEqual([]);
  });
});
