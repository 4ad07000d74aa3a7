import { randomUUID } from 'node:crypto';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { BODY_LIMIT_BYTES } from '../../src/api/http/body-limit.js';
import { requireJsonBody } from '../../src/api/http/json-body.js';

/** The 202 body the floor answers with: the shape of a placed order, fixed. */
const STATIC_ORDER = {
  id: randomUUID(),
  customerId: 'cus_bench',
  status: 'PENDING',
  failureReason: null,
  total: { amount: 8900, currency: 'USD' },
  items: [{ sku: 'BENCH-001', quantity: 1, unitPrice: 8900 }],
  createdAt: new Date(0).toISOString(),
  updatedAt: new Date(0).toISOString(),
};

/**
 * The HTTP floor: what Hono on @hono/node-server does with the API's body handling (size limit,
 * JSON content type, JSON parse) and nothing of ours: no validation, database or workflow.
 */
export function createFloorApp() {
  const app = new Hono();
  app.use('*', bodyLimit({ maxSize: BODY_LIMIT_BYTES }));
  app.on(
    ['POST'],
    '*',
    requireJsonBody(() => true),
  );
  app.post('/orders', async (c) => {
    await c.req.json();
    return c.json(STATIC_ORDER, 202, { location: `/orders/${STATIC_ORDER.id}` });
  });
  return app;
}

export interface FloorServer {
  url: string;
  close(): Promise<void>;
}

export function serveFloorApp(port: number): Promise<FloorServer> {
  return new Promise((resolve) => {
    const server: ServerType = serve({ fetch: createFloorApp().fetch, port, hostname: '127.0.0.1' }, (info) =>
      resolve({
        url: `http://127.0.0.1:${info.port}`,
        close: () => new Promise<void>((closed) => server.close(() => closed())),
      }),
    );
  });
}
