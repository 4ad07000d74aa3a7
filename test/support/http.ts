import { serve, type ServerType } from '@hono/node-server';
import { freePort } from '../../devstack/free-port.js';

export interface ServedApp {
  baseUrl: string;
  close(): Promise<void>;
}

/** Serves a fetch handler on a free loopback port: real HTTP, as a client would meet it. */
export async function serveOnFreePort(fetch: (request: Request) => Response | Promise<Response>): Promise<ServedApp> {
  const port = await freePort();
  const server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch, port, hostname: '127.0.0.1' }, () => resolve(s));
  });
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
