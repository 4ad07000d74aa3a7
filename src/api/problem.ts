import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { z, type ZodError } from 'zod';

/** One field that broke a rule: its JSON pointer in the request, and the rule. */
export interface FieldError {
  pointer: string;
  detail: string;
}

/** An RFC 9457 problem. Every error the API returns is one of these, with a stable `type`. */
export class ProblemError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    readonly title: string,
    detail: string,
    readonly errors?: FieldError[],
    readonly headers?: Record<string, string>,
  ) {
    super(detail);
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
});

export type Problem = z.infer<typeof problemSchema>;

export const PROBLEM_TYPE_BASE = 'https://orders.example/problems/';

export function toPointer(path: readonly PropertyKey[]): string {
  return '/' + path.map((p) => String(p).replaceAll('~', '~0').replaceAll('/', '~1')).join('/');
}

export function validationProblem(error: ZodError, where: 'body' | 'query' | 'path' | 'header' = 'body'): ProblemError {
  const errors = error.issues.map((issue) => {
    const unknownKeys = issue.code === 'unrecognized_keys' ? issue.keys : [];
    if (unknownKeys.length > 0) {
      return { pointer: toPointer([...issue.path, unknownKeys[0]!]), detail: `unknown field${unknownKeys.length > 1 ? 's' : ''}: ${unknownKeys.join(', ')}` };
    }
    return { pointer: toPointer(issue.path), detail: issue.message };
  });
  const summary = errors.map((e) => `${e.pointer}: ${e.detail}`).join('; ');
  return new ProblemError(400, 'validation-error', 'Your request is not valid', `Invalid ${where}: ${summary}`, errors);
}

export function problemResponse(c: Context, problem: ProblemError): Response {
  const body: Problem = {
    type: PROBLEM_TYPE_BASE + problem.code,
    title: problem.title,
    status: problem.status,
    detail: problem.message,
    instance: c.req.path,
    requestId: c.get('requestId' as never) as string | undefined,
    ...(problem.errors ? { errors: problem.errors } : {}),
  };
  for (const [name, value] of Object.entries(problem.headers ?? {})) c.header(name, value);
  return c.body(JSON.stringify(body), problem.status, { 'content-type': 'application/problem+json' });
}
