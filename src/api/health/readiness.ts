import { sql } from 'drizzle-orm';
import type { Logger } from '../../platform/logger.js';
import type { AppDeps } from '../http/app-env.js';

/** What a probe saw, in words that say nothing about the driver, the host or the query. */
export const CHECK_RESULTS = ['ok', 'unreachable', 'timeout'] as const;
export type CheckResult = (typeof CHECK_RESULTS)[number];

class ProbeTimeout extends Error {}

/**
 * 'ok', 'unreachable' (the probe failed) or 'timeout' (no answer in time, so /ready always answers).
 * The error itself can name hosts, users or SQL: it goes to the log, never into the response.
 */
export async function check(name: string, probe: (timeoutMs: number) => Promise<unknown>, logger: Logger, timeoutMs = 2000): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      probe(timeoutMs),
      new Promise((_, reject) => (timer = setTimeout(() => reject(new ProbeTimeout(`no answer in ${timeoutMs}ms`)), timeoutMs).unref())),
    ]);
    return 'ok';
  } catch (error) {
    const result = error instanceof ProbeTimeout ? 'timeout' : 'unreachable';
    logger.warn({ check: name, result, err: error }, 'Readiness check failed');
    return result;
  } finally {
    clearTimeout(timer);
  }
}

/** What the API depends on to take writes, by the name /ready and the 503s use. */
export type Dependency = 'database' | 'temporal';

/**
 * One cheap round trip to each dependency: the same probes for /ready and for load shedding. The
 * Temporal call carries the deadline itself: the client retries UNAVAILABLE until its deadline, and
 * a probe nobody waits for any more must not go on retrying in the background.
 */
export function dependencyProbes(deps: Pick<AppDeps, 'db' | 'temporal'>): Record<Dependency, (timeoutMs: number) => Promise<unknown>> {
  return {
    database: () => deps.db.execute(sql`select 1`),
    temporal: (timeoutMs) => deps.temporal.withDeadline(Date.now() + timeoutMs, () => deps.temporal.workflowService.getSystemInfo({})),
  };
}

/** Ready when both PostgreSQL and Temporal answer; each check says what it saw. */
export async function checkReadiness(
  deps: Pick<AppDeps, 'db' | 'temporal'>,
  logger: Logger,
): Promise<{ ready: boolean; checks: { database: CheckResult; temporal: CheckResult } }> {
  const probes = dependencyProbes(deps);
  const [database, temporal] = await Promise.all([check('database', probes.database, logger), check('temporal', probes.temporal, logger)]);
  return { ready: database === 'ok' && temporal === 'ok', checks: { database, temporal } };
}
