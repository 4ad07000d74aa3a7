import type { AppDeps } from '../http/app-env.js';
import { createRouter } from '../http/router.js';
import { healthHandlers } from './handlers.js';
import { liveRoute, readyRoute } from './routes.js';

/** Liveness and readiness, for `app.route('/', healthRouter(deps))`. */
export function healthRouter(deps: AppDeps) {
  const handle = healthHandlers(deps);
  return createRouter().openapi(liveRoute, handle.live).openapi(readyRoute, handle.ready);
}
