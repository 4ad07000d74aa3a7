import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { ServerType } from '@hono/node-server';
import type { Duplex } from 'node:stream';
import { PROBLEM_CONTENT_TYPE, PROBLEM_TYPE_BASE, type Problem } from './problem.js';

/** Node's own answers to a request its parser refuses, by error code; anything else is a 400. */
const PARSER_ANSWERS: Record<string, { status: number; code: string; title: string; detail: string }> = {
  HPE_HEADER_OVERFLOW: {
    status: 431,
    code: 'headers-too-large',
    title: 'Request headers too large',
    detail: 'The request headers are larger than the server accepts',
  },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, code: 'request-timeout', title: 'Request timeout', detail: 'The request did not arrive in time' },
};
const MALFORMED = {
  status: 400,
  code: 'malformed-request',
  title: 'Malformed HTTP request',
  detail: 'The request is not valid HTTP/1.1 (a header name or value holds a character HTTP forbids, or the framing is broken)',
};

const REASONS: Record<number, string> = { 400: 'Bad Request', 408: 'Request Timeout', 431: 'Request Header Fields Too Large' };

/**
 * A request Node's HTTP parser refuses (a control character in a header value, a broken
 * request line, oversized headers) never reaches the app, and Node answers it with a bare status
 * and no body. Every error this API gives is problem+json, so answer these as one too, then close
 * the connection: after a parse error nothing more can be read from it.
 */
export function answerUnparseableRequests(server: ServerType): void {
  // `serve` without a `createServer` option makes a plain HTTP/1.1 server.
  (server as Server).on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    // A reset connection, or one whose response has begun (as Node's own handler checks), cannot be answered.
    const inFlight = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (error.code === 'ECONNRESET' || !socket.writable || inFlight?.headersSent) {
      socket.destroy();
      return;
    }
    const answer = PARSER_ANSWERS[error.code ?? ''] ?? MALFORMED;
    // No route saw the request, so its occurrence gets an id of its own, as a request id would be.
    const requestId = randomUUID();
    const problem: Problem = {
      type: PROBLEM_TYPE_BASE + answer.code,
      title: answer.title,
      status: answer.status,
      detail: answer.detail,
      instance: `urn:uuid:${requestId}`,
      requestId,
    };
    const body = JSON.stringify(problem);
    socket.end(
      `HTTP/1.1 ${answer.status} ${REASONS[answer.status]}\r\n` +
        `Content-Type: ${PROBLEM_CONTENT_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
}
