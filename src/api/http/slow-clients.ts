import { serve, type ServerType } from '@hono/node-server';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SlowClientTimeouts {
  /** The whole request header must arrive within this; a slow-loris header is cut off with 408. */
  headersTimeoutMs: number;
  /** The whole request, header and body, must arrive within this. The answer's own time is not counted. */
  requestTimeoutMs: number;
  /** An idle keep-alive connection is closed after this. */
  keepAliveTimeoutMs: number;
}

export interface ServeApiOptions {
  fetch: (request: Request) => Response | Promise<Response>;
  port: number;
  hostname: string;
  timeouts: SlowClientTimeouts;
}

/**
 * Serves the API on Node's HTTP server with read deadlines, so a client that trickles its header
 * or body a byte at a time (slow loris) holds a socket for seconds, not for ever, and cannot tie
 * up the server. Node checks the deadlines every `connectionsCheckingInterval` (30 s by default,
 * longer than the deadlines themselves), so it checks here at a quarter of the shortest one.
 */
export function serveApi({ fetch, port, hostname, timeouts }: ServeApiOptions, onListening?: (info: AddressInfo) => void): ServerType {
  const server = serve(
    {
      fetch,
      port,
      hostname,
      serverOptions: {
        // Node refuses a header deadline later than the whole request's; the request's then bounds both.
        headersTimeout: Math.min(timeouts.headersTimeoutMs, timeouts.requestTimeoutMs),
        requestTimeout: timeouts.requestTimeoutMs,
        keepAliveTimeout: timeouts.keepAliveTimeoutMs,
        connectionsCheckingInterval: Math.max(100, Math.floor(Math.min(timeouts.headersTimeoutMs, timeouts.requestTimeoutMs) / 4)),
      },
    },
    onListening,
  ) as Server;
  // Set on the server as well: older Node versions read keepAliveTimeout only from here.
  server.keepAliveTimeout = timeouts.keepAliveTimeoutMs;
  return server;
}
