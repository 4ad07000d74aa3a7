import type { RouteHandler } from '@hono/zod-openapi';
import { readOrderEvents } from '../../db/order-event-log.js';
import type { AppDeps, AppEnv } from '../http/app-env.js';
import { ownCustomerId } from '../http/principal.js';
import { createRouter } from '../http/router.js';
import { eventFeedRoute } from './routes.js';

/** The event feed, for `app.route('/events', eventsRouter(deps))`. A customer token reads only its own orders' events. */
export function eventsRouter(deps: Pick<AppDeps, 'db'>) {
  const feed: RouteHandler<typeof eventFeedRoute, AppEnv> = async (c) => {
    const { after = 0, type, limit } = c.req.valid('query');
    const data = await readOrderEvents(deps.db, { after, limit, types: type, customerId: ownCustomerId(c.get('principal')) });
    return c.json({ data, nextCursor: data.at(-1)?.position ?? String(after) }, 200);
  };
  return createRouter().openapi(eventFeedRoute, feed);
}
