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
async function check(name: string, probe: () => Promise<unknown>, logger: Logger, timeoutMs = 2000): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([probe(), new Promise((_, reject) => (timer = setTimeout(() => reject(new ProbeTimeout(`no answer in ${timeoutMs}ms`)), timeoutMs).unref()))]);
    return 'ok';
  } catch (error) {
    const result = error instanceof ProbeTimeout ? 'timeout' : 'unreachable';
    logger.warn({ check: name, result, err: error }, 'Readiness check failed');
    return result;
  } finally {
    clearTimeout(timer);
  }
}

/** Ready when both PostgreSQL and Temporal answer; each check says what it saw. */
export async function checkReadiness(
  deps: Pick<AppDeps, 'db' | 'temporal'>,
  logger: Logger,
): Promise<{ ready: boolean; checks: { database: CheckResult; temporal: CheckResult } }> {
  const [database, temporal] = await Promise.all([
    check('database', () => deps.db.execute(sql`select 1`), logger),
    check('temporal', () => deps.temporal.workflowService.getSystemInfo({}), logger),
  ]);
  return { ready: database === 'ok' && temporal === 'ok', checks: { database, temporal } };
}
