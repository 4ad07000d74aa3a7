import { STATUS_CODES } from 'node:http';
import type { DemoTarget } from './target.js';

/** Whose token a request goes with: the demo customer's, or the admin's. */
export type Caller = 'customer' | 'admin';

export interface Answer<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

export interface RequestOptions {
  body?: unknown;
  headers?: Record<string, string>;
  /** Not printed: the polls and stock reads between the requests the tour shows. */
  quiet?: boolean;
}

/** Prints each request and its real answer, trimmed, and hands the answer back to the step. */
export interface Transcript {
  /** A line of narration. */
  say(text: string): void;
  call<T = unknown>(caller: Caller, method: string, path: string, options?: RequestOptions): Promise<Answer<T>>;
}

/** The answer headers worth reading in a walk-through; the rest (date, request id, length) are noise here. */
const SHOWN_HEADERS = ['location', 'link', 'idempotent-replayed', 'preference-applied', 'retry-after'];
const BODY_LIMIT = 300;

export const trimmed = (text: string, limit = BODY_LIMIT) => (text.length > limit ? `${text.slice(0, limit - 1)}…` : text);

export function createTranscript(target: DemoTarget, out: (line: string) => void): Transcript {
  const tokens: Record<Caller, string> = { customer: target.customerToken, admin: target.adminToken };
  return {
    say: (text) => out(text),
    async call<T>(caller: Caller, method: string, path: string, { body, headers = {}, quiet = false }: RequestOptions = {}): Promise<Answer<T>> {
      const print = quiet ? () => {} : out;
      const extra = Object.entries(headers).map(([name, value]) => `${name}: ${value}`);
      print(`  $ ${method} ${path}   [${caller === 'customer' ? `customer ${target.customerId}` : 'admin'} token]${extra.length ? `   ${extra.join('   ')}` : ''}`);
      if (body !== undefined) print(`      ${trimmed(JSON.stringify(body))}`);
      const response = await fetch(target.apiUrl + path, {
        method,
        // Every state change says it is JSON, with or without a body (the API refuses it otherwise).
        headers: { authorization: `Bearer ${tokens[caller]}`, ...(method === 'GET' ? {} : { 'content-type': 'application/json' }), ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(40_000),
      });
      const text = await response.text();
      const shown = SHOWN_HEADERS.flatMap((name) => (response.headers.has(name) ? [`${name}: ${response.headers.get(name)}`] : []));
      print(`  → ${response.status} ${STATUS_CODES[response.status] ?? ''}${shown.length ? `   ${shown.join('   ')}` : ''}`);
      if (text) print(`      ${trimmed(text)}`);
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        // not JSON: the step gets the text
      }
      return { status: response.status, headers: response.headers, body: parsed as T };
    },
  };
}
