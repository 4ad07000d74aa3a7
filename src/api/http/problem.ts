import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { z } from 'zod';

/** One field that broke a rule: its JSON pointer in the request, and the rule. */
export interface FieldError {
  pointer: string;
  detail: string;
}

export const PROBLEM_TYPE_BASE = 'https://orders.example/problems/';

/** An RFC 9457 problem. Every error the API returns is one of these, with a stable `type`. */
export class ProblemError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    readonly title: string,
    detail: string,
    readonly errors?: FieldError[],
    readonly headers?: Record<string, string>,
    /** The order a 503 kept (its workflow may run): the client polls it instead of placing another. */
    readonly orderId?: string,
  ) {
    super(detail);
  }

  /** Rebuilds a problem that was stored as a body, so a replayed error renders like the first. */
  static from(body: Problem): ProblemError {
    return new ProblemError(body.status as ContentfulStatusCode, body.type.slice(PROBLEM_TYPE_BASE.length), body.title, body.detail, body.errors);
  }
}

export const problemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  instance: z.string(),
  requestId: z.string().optional(),
  errors: z.array(z.object({ pointer: z.string(), detail: z.string() })).optional(),
  orderId: z.string().optional(),
});

export type Problem = z.infer<typeof problemSchema>;

export function problemBody(problem: ProblemError, instance: string, requestId?: string): Problem {
  return {
    type: PROBLEM_TYPE_BASE + problem.code,
    title: problem.title,
    status: problem.status,
    detail: problem.message,
    instance,
    ...(requestId ? { requestId } : {}),
    ...(problem.errors ? { errors: problem.errors } : {}),
    ...(problem.orderId ? { orderId: problem.orderId } : {}),
  };
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export function problemResponse(c: Context, problem: ProblemError): Response {
  const body = problemBody(problem, c.req.path, c.get('requestId' as never) as string | undefined);
  for (const [name, value] of Object.entries(problem.headers ?? {})) c.header(name, value);
  return c.body(JSON.stringify(body), problem.status, { 'content-type': PROBLEM_CONTENT_TYPE });
}
