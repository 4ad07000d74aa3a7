/**
 * Every answer the API gave during a run, counted by phase (before, during and after the fault) and
 * status; `ERR` is a request that got no answer at all (refused, reset, timed out).
 */
export class StatusTally {
  private readonly counts = new Map<string, Map<string, number>>();
  phase = 'before';

  record(status: number | 'ERR', phase = this.phase): void {
    const ofPhase = this.counts.get(phase) ?? new Map<string, number>();
    ofPhase.set(String(status), (ofPhase.get(String(status)) ?? 0) + 1);
    this.counts.set(phase, ofPhase);
  }

  /** `202×180 503×12` for one phase, or every phase's answers together. */
  summary(phase?: string): string {
    const merged = new Map<string, number>();
    for (const [name, ofPhase] of this.counts) {
      if (phase !== undefined && name !== phase) continue;
      for (const [status, count] of ofPhase) merged.set(status, (merged.get(status) ?? 0) + count);
    }
    return [...merged]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([status, count]) => `${status}×${count}`)
      .join(' ');
  }

  /** How many requests were made (every attempt, answered or not). */
  total(): number {
    let total = 0;
    for (const ofPhase of this.counts.values()) for (const count of ofPhase.values()) total += count;
    return total;
  }

  /** How many answers had this status, in any phase. */
  count(status: string): number {
    let total = 0;
    for (const ofPhase of this.counts.values()) total += ofPhase.get(status) ?? 0;
    return total;
  }
}
