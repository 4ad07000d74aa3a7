import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import type { OutboundAddressPolicy } from '../../platform/outbound-address.js';

export interface WebhookPostLimits {
  /** The whole exchange, connect to last byte read: a receiver that hangs costs no more than this. */
  timeoutMs: number;
  /** How much of the answer is read; the rest is not waited for. */
  maxResponseBytes: number;
}

export interface WebhookAnswer {
  /** Null when no HTTP answer came (refused, timed out, a blocked address). */
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

/**
 * POSTs one signed body, with no redirects followed (a 3xx is a failed delivery, and cannot send us
 * somewhere the policy would refuse). Never throws: every outcome is an answer to record.
 */
export function postWebhook(
  url: string,
  body: string,
  headers: Record<string, string>,
  policy: OutboundAddressPolicy,
  limits: WebhookPostLimits,
): Promise<WebhookAnswer> {
  const started = Date.now();
  const answer = (statusCode: number | null, error: string | null): WebhookAnswer => ({ statusCode, error, durationMs: Date.now() - started });
  const target = new URL(url);
  // A literal IP is connected to without a lookup, so it is checked here.
  const literal = target.hostname.replace(/^\[|\]$/g, '');
  const refused = isIP(literal) ? policy.refusal(literal) : undefined;
  if (refused) return Promise.resolve(answer(null, `Refused: ${refused}`));
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: WebhookAnswer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      resolve(result);
    };
    const req = send(
      target,
      {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) },
        lookup: policy.lookup,
        agent: false,
      },
      (res: IncomingMessage) => {
        let read = 0;
        res.on('data', (chunk: Buffer) => {
          read += chunk.length;
          if (read > limits.maxResponseBytes) finish(answer(res.statusCode ?? null, `The answer was larger than ${limits.maxResponseBytes} bytes`));
        });
        res.on('end', () => finish(answer(res.statusCode ?? null, null)));
        res.on('error', (error) => finish(answer(res.statusCode ?? null, error.message)));
      },
    );
    const timer = setTimeout(() => finish(answer(null, `No answer within ${limits.timeoutMs} ms`)), limits.timeoutMs);
    req.on('error', (error) => finish(answer(null, error.message)));
    req.end(body);
  });
}
