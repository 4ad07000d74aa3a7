/**
 * A webhook receiver for the Orders service, as a consumer writes it: Node's standard library only.
 * It checks `Webhook-Signature` over the raw body before trusting anything, refuses stale
 * timestamps (replays), dedupes on the event id (deliveries are at least once), and answers 2xx
 * only once the event is safely handled: anything else is retried.
 *
 *   WEBHOOK_SECRET=whsec_... PORT=4000 npx tsx examples/webhook-receiver.ts
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { pathToFileURL } from 'node:url';

/** `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`; any v1 may match (a secret being rolled). */
export function verifyWebhookSignature(secret: string, rawBody: string, header: string | undefined, toleranceSeconds = 300, nowMs = Date.now()): boolean {
  if (!header) return false;
  const fields = header.split(',').map((field) => field.trim().split('=', 2));
  const timestamp = Number(fields.find(([key]) => key === 't')?.[1]);
  if (!Number.isInteger(timestamp) || Math.abs(nowMs / 1000 - timestamp) > toleranceSeconds) return false;
  const expected = createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest();
  return fields.some(([key, value]) => key === 'v1' && /^[0-9a-f]{64}$/i.test(value ?? '') && timingSafeEqual(Buffer.from(value!, 'hex'), expected));
}

export interface OrderEvent {
  id: string;
  type: string;
  orderId: string;
  position: string;
  data: Record<string, unknown>;
}

/**
 * A receiver that hands each new, verified event to `handle` once; a thrown error answers 500, so
 * the event comes again. `secret` may be a function, read per request, for a secret loaded later.
 */
export function createWebhookReceiver(secret: string | (() => string), handle: (event: OrderEvent) => Promise<void>): Server {
  const secretNow = typeof secret === 'string' ? () => secret : secret;
  const seen = new Set<string>(); // In production: a table with the event id as its key.
  return createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      if (!verifyWebhookSignature(secretNow(), rawBody, req.headers['webhook-signature'] as string | undefined)) {
        res.writeHead(400).end('bad signature');
        return;
      }
      const event = JSON.parse(rawBody) as OrderEvent;
      if (seen.has(event.id)) {
        res.writeHead(200).end('already have it');
        return;
      }
      handle(event).then(
        () => {
          seen.add(event.id);
          res.writeHead(200).end('ok');
        },
        () => res.writeHead(500).end('try again'),
      );
    });
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const secret = process.env.WEBHOOK_SECRET;
  if (!secret) throw new Error('Set WEBHOOK_SECRET to the secret POST /webhook-endpoints returned');
  const port = Number(process.env.PORT ?? 4000);
  createWebhookReceiver(secret, async (event) => console.log(event.position, event.type, event.orderId)).listen(port, '127.0.0.1', () =>
    console.log(`Receiving webhooks on http://127.0.0.1:${port}/`),
  );
}
