import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { sql } from 'drizzle-orm';
import type { AppDeps, AppEnv } from '../app-types.js';

const checkSchema = z.object({ status: z.enum(['ok', 'unavailable']), checks: z.record(z.string(), z.string()).optional() });

const liveRoute = createRoute({
  method: 'get',
  path: '/health',
  summary: 'Liveness: the process answers',
  responses: { 200: { content: { 'application/json': { schema: checkSchema } }, description: 'Alive' } },
});

const readyRoute = createRoute({
  method: 'get',
  path: '/ready',
  summary: 'Readiness: PostgreSQL and Temporal are reachable',
  responses: {
    200: { content: { 'application/json': { schema: checkSchema } }, description: 'Ready to take orders' },
    503: { content: { 'application/json': { schema: checkSchema } }, description: 'A dependency is unreachable' },
  },
});

async function check(probe: () => Promise<unknown>, timeoutMs = 2000): Promise<string> {
  try {
    await Promise.race([probe(), new Promise((_, reject) => setTimeout(() => reject(new Error(`no answer in ${timeoutMs}ms`)), timeoutMs).unref())]);
    return 'ok';
  } catch (error) {
    return (error as Error).message;
  }
}

export function healthRoutes(deps: AppDeps) {
  return new OpenAPIHono<AppEnv>()
    .openapi(liveRoute, (c) => c.json({ status: 'ok' as const }, 200))
    .openapi(readyRoute, async (c) => {
      const [database, temporal] = await Promise.all([
        check(() => deps.db.execute(sql`select 1`)),
        check(() => deps.temporal.workflowService.getSystemInfo({})),
      ]);
      const ready = database === 'ok' && temporal === 'ok';
      return c.json({ status: ready ? ('ok' as const) : ('unavailable' as const), checks: { database, temporal } }, ready ? 200 : 503);
    });
}
