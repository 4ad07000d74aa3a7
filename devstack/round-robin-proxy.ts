import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RoundRobinProxy {
  url: string;
  /** How many requests each upstream has answered, in the order given. */
  answered: number[];
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Whether the upstream certainly never saw the request: only then is sending it to the next one safe. */
const neverConnected = (error: NodeJS.ErrnoException) => error.code === 'ECONNREFUSED';

/**
 * One port in front of several API processes, as a load balancer would be: requests go to each in
 * turn, and one that refuses the connection (stopped, or killed by a test) is skipped. A request an
 * upstream dropped after receiving it is answered 502, never resent: it may have been acted on, and
 * the client's Idempotency-Key is what makes its retry safe. Development only.
 */
export async function startRoundRobinProxy(options: { port: number; upstreams: string[]; host?: string }): Promise<RoundRobinProxy> {
  const upstreams = options.upstreams.map((url) => new URL(url));
  const answered = upstreams.map(() => 0);
  let next = 0;

  const forward = (req: IncomingMessage, res: ServerResponse, body: Buffer, tried: number) => {
    const index = next;
    next = (next + 1) % upstreams.length;
    const upstream = upstreams[index]!;
    const outgoing = request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } },
      (answer) => {
        answered[index]! += 1;
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    outgoing.on('error', (error: NodeJS.ErrnoException) => {
      if (neverConnected(error) && tried + 1 < upstreams.length) return forward(req, res, body, tried + 1);
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`upstream ${upstream.host}: ${error.message}\n`);
    });
    outgoing.end(body);
  };

  const server = createServer((req, res) => {
    readBody(req).then(
      (body) => forward(req, res, body, 0),
      () => res.destroy(),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    answered,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
