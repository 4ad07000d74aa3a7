/** What a 503 must carry, and how long any answer took: a refusal is only useful at once and with a time to come back. */
export interface AnswerShape {
  problemJson: boolean;
  retryAfter: boolean;
  ms: number;
}

/** A phase's refusals that broke the 503 contract, and its slowest answer (ERR included). */
export interface PhaseShapes {
  unavailable: number;
  withoutProblemJson: number;
  withoutRetryAfter: number;
  slowestMs: number;
}

/**
 * Every answer the API gave during a run, counted by phase (before, during and after the fault) and
 * status; `ERR` is a request that got no answer at all (refused, reset, timed out).
 */
export class StatusTally {
  private readonly counts = new Map<string, Map<string, number>>();
  private readonly shapes = new Map<string, PhaseShapes>();
  phase = 'before';

  record(status: number | 'ERR', phase = this.phase, shape?: AnswerShape): void {
    const ofPhase = this.counts.get(phase) ?? new Map<string, number>();
    ofPhase.set(String(status), (ofPhase.get(String(status)) ?? 0) + 1);
    this.counts.set(phase, ofPhase);
    if (!shape) return;
    const seen = this.shapes.get(phase) ?? { unavailable: 0, withoutProblemJson: 0, withoutRetryAfter: 0, slowestMs: 0 };
    seen.slowestMs = Math.max(seen.slowestMs, shape.ms);
    if (status === 503) {
      seen.unavailable++;
      if (!shape.problemJson) seen.withoutProblemJson++;
      if (!shape.retryAfter) seen.withoutRetryAfter++;
    }
    this.shapes.set(phase, seen);
  }

  /** The 503s of a phase that lacked problem+json or Retry-After, and its slowest answer. */
  shapesOf(phase: string): PhaseShapes {
    return { ...(this.shapes.get(phase) ?? { unavailable: 0, withoutProblemJson: 0, withoutRetryAfter: 0, slowestMs: 0 }) };
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

  /** How many answers had this status, in one phase or in any. */
  count(status: string, phase?: string): number {
    let total = 0;
    for (const [name, ofPhase] of this.counts) if (phase === undefined || name === phase) total += ofPhase.get(status) ?? 0;
    return total;
  }
}
