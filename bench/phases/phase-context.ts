import type { BenchStack } from '../bench-stack.js';
import type { BenchSettings } from '../settings.js';

export interface PhaseContext {
  settings: BenchSettings;
  bench: BenchStack;
  /** A unique tag for this run, in workflow IDs and idempotency keys. */
  runId: string;
  progress: (message: string) => void;
}
