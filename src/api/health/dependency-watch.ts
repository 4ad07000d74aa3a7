import type { Logger } from '../../platform/logger.js';
import { check, type CheckResult, type Dependency } from './readiness.js';

export interface DependencyWatchOptions {
  /** How old the last look may be before a request starts another (in the background). */
  recheckMs?: number;
  /** A probe with no answer by then counts as down. */
  probeTimeoutMs?: number;
}

export const DEFAULT_DEPENDENCY_WATCH: Required<DependencyWatchOptions> = { recheckMs: 1_000, probeTimeoutMs: 1_000 };

/**
 * What the API last saw of PostgreSQL and Temporal, for load shedding: a write that needs a
 * dependency known to be down is refused before it writes anything, instead of waiting out its
 * deadlines and leaving a half-placed order. It looks on evidence, like a circuit breaker: a
 * request that failed with a 5xx (`suspect`) starts one probe of both, in the background; while
 * one is seen down, a request that finds the last look stale starts the next. Requests never wait
 * for a probe, and while all is well no probe runs at all.
 */
export class DependencyWatch {
  private readonly seen = new Map<Dependency, CheckResult>();
  private lastLookAt = Number.NEGATIVE_INFINITY;
  private looking: Promise<void> | undefined;
  private readonly options: Required<DependencyWatchOptions>;

  constructor(
    private readonly probes: Record<Dependency, (timeoutMs: number) => Promise<unknown>>,
    private readonly logger: Logger,
    options: DependencyWatchOptions = {},
  ) {
    this.options = { ...DEFAULT_DEPENDENCY_WATCH, ...options };
  }

  /** Which of `needed` were down at the last look; while any is, a stale look is followed by a new one. */
  down(needed: readonly Dependency[]): Dependency[] {
    const down = needed.filter((dependency) => (this.seen.get(dependency) ?? 'ok') !== 'ok');
    if (down.length > 0 && Date.now() - this.lastLookAt >= this.options.recheckMs) void this.look();
    return down;
  }

  /** A request just failed in a way an outage would explain: look again now rather than at the next interval. */
  suspect(): void {
    void this.look();
  }

  /** Seconds a refused client should wait: about when the next look can see the dependency back. */
  get retryAfterSeconds(): number {
    return Math.max(1, Math.ceil(this.options.recheckMs / 1000));
  }

  /** One look at every dependency at a time; the promise settles when it is recorded (tests await it). */
  look(): Promise<void> {
    this.looking ??= (async () => {
      try {
        const names = Object.keys(this.probes) as Dependency[];
        const results = await Promise.all(names.map((name) => check(name, this.probes[name], this.logger, this.options.probeTimeoutMs)));
        names.forEach((name, i) => this.record(name, results[i]!));
        this.lastLookAt = Date.now();
      } finally {
        this.looking = undefined;
      }
    })();
    return this.looking;
  }

  private record(dependency: Dependency, result: CheckResult): void {
    const wasOk = (this.seen.get(dependency) ?? 'ok') === 'ok';
    this.seen.set(dependency, result);
    if (wasOk !== (result === 'ok')) {
      if (result === 'ok') this.logger.info({ dependency }, 'Dependency is back: taking writes that need it again');
      else this.logger.warn({ dependency, result }, 'Dependency is down: refusing writes that need it with 503');
    }
  }
}
