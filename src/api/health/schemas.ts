import { z } from '@hono/zod-openapi';
import { CHECK_RESULTS } from './readiness.js';

export const checkSchema = z.object({
  status: z.enum(['ok', 'unavailable']),
  checks: z.record(z.string(), z.enum(CHECK_RESULTS)).optional().openapi({ description: 'Per dependency: ok, unreachable or timeout; the error itself is in the logs' }),
});
