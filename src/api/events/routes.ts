import { createRoute } from '@hono/zod-openapi';
import { problemResponses } from '../http/problem-responses.js';
import { eventFeedQuerySchema, eventPageSchema } from './schemas.js';

export const eventFeedRoute = createRoute({
  method: 'get',
  path: '/',
  summary: 'Read the order event feed, oldest first',
  description: [
    'Events in the order their transitions committed. Reading on with `after=<nextCursor>` never skips an event and never repeats one, however many writers there are: see docs/events.md for why.',
    'An admin token reads every order’s events; a customer token only its own customer’s.',
  ].join('\n\n'),
  request: { query: eventFeedQuerySchema },
  responses: { 200: { content: { 'application/json': { schema: eventPageSchema } }, description: 'One page of events' }, ...problemResponses(400, 401, 503) },
});
