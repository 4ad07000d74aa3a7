import { sql } from 'drizzle-orm';
import type { AppDeps } from '../http/app-env.js';

/** 'ok', or why the probe failed; a probe that hangs counts as failed, so /ready always answers. */
async function check(probe: () => Promise<unknown>, timeoutMs = 2000): Promise<string> {
  try {
    await Promise.race([probe(), new Promise((_, reject) => setTimeout(() => reject(new Error(`no answer in ${timeoutMs}ms`)), timeoutMs).unref())]);
    return 'ok';
  } catch (error) {
    return (error as Error).message;
  }
}

/** Ready when both PostgreSQL and Temporal answer; each check says what it saw. */
export async function checkReadiness(deps: Pick<AppDeps, 'db' | 'temporal'>): Promise<{ ready: boolean; checks: { database: string; temporal: string } }> {
  const [database, temporal] = await Promise.all([check(() => deps.db.execute(sql`select 1`)), check(() => deps.temporal.workflowService.getSystemInfo({}))]);
  return { ready: database === 'ok' && temporal === 'ok', checks: { database, temporal } };
}
