import type { RouteHandler } from '@hono/zod-openapi';
import type { AppDeps, AppEnv } from '../http/app-env.js';
import { checkReadiness } from './readiness.js';
import type { liveRoute, readyRoute } from './routes.js';

export function healthHandlers(deps: AppDeps) {
  const live: RouteHandler<typeof liveRoute, AppEnv> = (c) => c.json({ status: 'ok' as const }, 200);
  const ready: RouteHandler<typeof readyRoute, AppEnv> = async (c) => {
    const { ready, checks } = await checkReadiness(deps, c.get('logger'));
    return ready ? c.json({ status: 'ok' as const, checks }, 200) : c.json({ status: 'unavailable' as const, checks }, 503);
  };
  return { live, ready };
}
