import type { Hook } from '@hono/zod-openapi';
import type { ZodError } from 'zod';
import type { AppEnv } from './app-env.js';
import { ProblemError, problemResponse, type FieldError } from './problem.js';

type RequestPart = 'body' | 'query' | 'path' | 'header';

export function toPointer(path: readonly PropertyKey[]): string {
  return '/' + path.map((p) => String(p).replaceAll('~', '~0').replaceAll('/', '~1')).join('/');
}

export function validationProblem(error: ZodError, where: RequestPart = 'body'): ProblemError {
  const errors = error.issues.map((issue) => {
    const unknownKeys = issue.code === 'unrecognized_keys' ? issue.keys : [];
    if (unknownKeys.length > 0) {
      return { pointer: toPointer([...issue.path, unknownKeys[0]!]), detail: `unknown field${unknownKeys.length > 1 ? 's' : ''}: ${unknownKeys.join(', ')}` };
    }
    return { pointer: toPointer(issue.path), detail: issue.message };
  });
  return invalidRequest(errors, where);
}

/**
 * The 400 for fields that broke a rule, found by a schema or by a service (an unknown SKU, a
 * cursor this API never issued). The detail names the part of the request when it is known.
 */
export function invalidRequest(errors: FieldError[], where?: RequestPart): ProblemError {
  const summary = errors.map((e) => `${e.pointer}: ${e.detail}`).join('; ');
  return new ProblemError(400, 'validation-error', 'Your request is not valid', where ? `Invalid ${where}: ${summary}` : summary, errors);
}

/** Every module's request validation: a failed schema answers 400 with each field by JSON pointer. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const validationHook: Hook<any, AppEnv, any, any> = (result, c) => {
  if (!result.success) return problemResponse(c, validationProblem(result.error, result.target === 'json' ? 'body' : (result.target as 'query')));
};
