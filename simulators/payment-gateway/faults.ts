import type { FaultSettings, InjectedRejectionStatus } from '../../src/payments/contract.js';

/** What the injector decided for one request. */
export interface FaultDecision {
  delayMs: number;
  /** Answer 503 before doing anything. */
  fail: boolean;
  /** Do the request, then answer 503 in place of its answer. */
  loseResponse?: boolean;
  /** Answer this 4xx before doing anything. */
  rejectWith?: InjectedRejectionStatus;
}

export interface FaultInjector {
  /** Whether the faults apply to a request for this path. */
  appliesTo(path: string): boolean;
  /** Draws the next decision. Exactly one random draw per request it applies to, so a seed fixes the whole sequence. */
  next(): FaultDecision;
  settings(): FaultSettings;
  /** Changes some settings; a given seed restarts the random sequence from its beginning. */
  update(changes: Partial<FaultSettings>): FaultSettings;
}

/** mulberry32: tiny, fast and good enough to make a chaos run repeatable from one integer. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export function createFaultInjector(initial: FaultSettings): FaultInjector {
  let current: FaultSettings = { ...initial };
  let random = mulberry32(current.seed);
  return {
    appliesTo: (path) => !current.paths?.length || current.paths.some((prefix) => path.startsWith(prefix)),
    next() {
      if (current.failNext) {
        current = { ...current, failNext: current.failNext - 1 };
        return { delayMs: current.latencyMs, fail: true };
      }
      // A lost answer comes before the refusal it is meant to provoke on the retry.
      if (current.loseNextResponses) {
        current = { ...current, loseNextResponses: current.loseNextResponses - 1 };
        return { delayMs: current.latencyMs, fail: false, loseResponse: true };
      }
      if (current.rejectNext?.count) {
        const { status, count } = current.rejectNext;
        current = { ...current, rejectNext: { status, count: count - 1 } };
        return { delayMs: current.latencyMs, fail: false, rejectWith: status };
      }
      const fail = random() < current.failureRate;
      return { delayMs: current.latencyMs, fail };
    },
    settings: () => ({ ...current }),
    update(changes) {
      current = { ...current, ...changes };
      if (changes.seed !== undefined) random = mulberry32(changes.seed);
      return { ...current };
    },
  };
}

/** The injector as the gateway's configuration describes it. */
export function faultSettingsFromConfig(config: { PAYMENTS_FAILURE_RATE: number; PAYMENTS_LATENCY_MS: number; PAYMENTS_SEED: number }): FaultSettings {
  return { failureRate: config.PAYMENTS_FAILURE_RATE, latencyMs: config.PAYMENTS_LATENCY_MS, seed: config.PAYMENTS_SEED };
}
