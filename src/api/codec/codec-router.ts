import type { PayloadCodec } from '@temporalio/common';
import { Hono, type MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import { z } from 'zod';
import type { AppEnv } from '../http/app-env.js';
import { ProblemError, problemResponse } from '../http/problem.js';

/** The Temporal codec server protocol: payloads as protojson, every bytes field base64; empty fields are left out (`{}` is no payloads). */
const wirePayload = z.object({
  metadata: z.record(z.string(), z.string().base64()).optional().nullable(),
  data: z.string().base64().optional().nullable(),
});
const wireBody = z.strictObject({ payloads: z.array(wirePayload).default([]) });
type WirePayload = z.infer<typeof wirePayload>;

const fromWire = ({ metadata, data }: WirePayload) => ({
  metadata: Object.fromEntries(Object.entries(metadata ?? {}).map(([key, value]) => [key, Buffer.from(value, 'base64')])),
  data: Buffer.from(data ?? '', 'base64'),
});
const toWire = ({ metadata, data }: { metadata?: Record<string, Uint8Array> | null; data?: Uint8Array | null }) => ({
  metadata: Object.fromEntries(Object.entries(metadata ?? {}).map(([key, value]) => [key, Buffer.from(value).toString('base64')])),
  data: Buffer.from(data ?? []).toString('base64'),
});

export interface CodecRouterOptions {
  codec: PayloadCodec;
  /** Who may read decoded payloads: operators with the admin role, never customers. */
  authorize: MiddlewareHandler;
  /** Browser origins that may call it (the Web UI's); CORS answers no other. */
  allowedOrigins: readonly string[];
}

/**
 * POST /encode and /decode, for `app.route('/codec', codecRouter(...))`: the Web UI (its codec endpoint
 * setting) and the CLI (`--codec-endpoint`) send the payloads they show here and display the answer.
 * CORS comes first, so a browser's preflight (which carries no credentials) is answered without auth.
 */
export function codecRouter({ codec, authorize, allowedOrigins }: CodecRouterOptions) {
  const router = new Hono<AppEnv>();
  router.use(
    '*',
    cors({
      origin: (origin) => (allowedOrigins.includes(origin) ? origin : null),
      allowMethods: ['POST', 'OPTIONS'],
      allowHeaders: ['authorization', 'content-type', 'x-namespace'],
      credentials: true,
      maxAge: 600,
    }),
  );
  router.use('*', authorize);
  for (const direction of ['encode', 'decode'] as const) {
    router.post(`/${direction}`, async (c) => {
      const parsed = wireBody.safeParse(await c.req.json().catch(() => undefined));
      if (!parsed.success)
        return problemResponse(
          c,
          new ProblemError(400, 'invalid-payloads', 'Invalid payloads', 'The body must be {"payloads": [{"metadata": {...}, "data": "<base64>"}]}'),
        );
      try {
        const payloads = await codec[direction](parsed.data.payloads.map(fromWire));
        return c.json({ payloads: payloads.map(toWire) });
      } catch (error) {
        // An unknown key ID or a forged ciphertext: the caller's payload, not our fault.
        return problemResponse(c, new ProblemError(400, 'undecodable-payload', 'Undecodable payload', (error as Error).message));
      }
    });
  }
  return router;
}
