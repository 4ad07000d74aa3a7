import { MAX_OUTCOME_WAIT_MS } from '../../workflows/messages.js';

/** `Prefer: wait=N` (RFC 7240), capped at 30 seconds; a preference that cannot be read is ignored, as the RFC allows. */
export function preferredWaitSeconds(prefer: string | undefined): number {
  const match = prefer?.match(/(?:^|[,;\s])wait\s*=\s*"?(\d{1,6})"?/i);
  return match ? Math.min(Number(match[1]), MAX_OUTCOME_WAIT_MS / 1000) : 0;
}
