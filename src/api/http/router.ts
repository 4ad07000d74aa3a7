import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from './app-env.js';
import { validationHook } from './validation-problem.js';

/** A resource module's router: its routes validate, and report what fails, like every other module's. */
export function createRouter() {
  return new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
}
