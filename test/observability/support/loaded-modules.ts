/**
 * Run as its own process: imports what the API and worker entry points import statically, and
 * prints every OpenTelemetry or tracing-interceptor module that got loaded, as JSON.
 */
import { createRequire } from 'node:module';

await import('../../../src/api/app.js');
await import('../../../src/worker/order-worker.js');
await import('../../../src/worker/runtime.js');
await import('../../../src/activities/index.js');
await import('../../../src/platform/config.js');

const loaded = Object.keys(createRequire(import.meta.url).cache).flatMap((path) => {
  const match = /node_modules\/(@opentelemetry\/[^/]+|@temporalio\/interceptors-opentelemetry)\//.exec(path);
  return match ? [match[1]!] : [];
});
process.stdout.write(JSON.stringify([...new Set(loaded)].sort()));
