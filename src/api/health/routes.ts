import { createRoute } from '@hono/zod-openapi';
import { checkSchema } from './schemas.js';

// Mounted at the root: /health and /ready are the names probes and load balancers expect.
export const liveRoute = createRoute({
  method: 'get',
  path: '/health',
  summary: 'Liveness: the process answers',
  security: [],
  responses: { 200: { content: { 'application/json': { schema: checkSchema } }, description: 'Alive' } },
});

export const readyRoute = createRoute({
  method: 'get',
  path: '/ready',
  summary: 'Readiness: PostgreSQL and Temporal are reachable',
  security: [],
  responses: {
    200: { content: { 'application/json': { schema: checkSchema } }, description: 'Ready to take orders' },
    503: { content: { 'application/json': { schema: checkSchema } }, description: 'A dependency is unreachable' },
  },
});
