import { z } from '@hono/zod-openapi';

export const checkSchema = z.object({ status: z.enum(['ok', 'unavailable']), checks: z.record(z.string(), z.string()).optional() });
