import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { OrderEvent } from '../../src/domain/order-events.js';

export interface ReceivedRequest {
  headers: IncomingHttpHeaders;
  body: string;
  /** The status this receiver answered with. */
  status: number;
}

export interface WebhookReceiver {
  url: string;
  /** Every request, in arrival order. */
  requests: ReceivedRequest[];
  /** Accepted (2xx) requests' events, one per event id: what an idempotent receiver keeps. */
  accepted: Map<string, OrderEvent>;
  /** How many 2xx answers each event id got: more than one is a duplicate accepted delivery. */
  acceptedCount(eventId: string): number;
  /** The status to answer a request with; 200 unless set. */
  answer: (request: { headers: IncomingHttpHeaders; body: string; attemptOfEvent: number }) => number;
  close(): Promise<void>;
}

/** A receiver inside the test, on loopback: it records what arrives and answers as the test says. */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const attempts = new Map<string, number>();
  const acceptedCounts = new Map<string, number>();
  const receiver: WebhookReceiver = {
    url: '',
    requests: [],
    accepted: new Map(),
    acceptedCount: (eventId) => acceptedCounts.get(eventId) ?? 0,
    answer: () => 200,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const eventId = String(req.headers['webhook-id'] ?? '');
      const attemptOfEvent = (attempts.get(eventId) ?? 0) + 1;
      attempts.set(eventId, attemptOfEvent);
      const status = receiver.answer({ headers: req.headers, body, attemptOfEvent });
      receiver.requests.push({ headers: req.headers, body, status });
      if (status >= 200 && status < 300) {
        acceptedCounts.set(eventId, (acceptedCounts.get(eventId) ?? 0) + 1);
        receiver.accepted.set(eventId, JSON.parse(body) as OrderEvent);
      }
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : 'not now');
    });
  });
  server.keepAliveTimeout = 1;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  return receiver;
}
