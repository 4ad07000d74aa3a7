/**
 * `npm run build:workflows [-- --out dist/workflow-bundle.js] [--tracing]`: bundles the order
 * workflow with its interceptor modules, once, so that a worker given WORKFLOW_BUNDLE_PATH starts
 * without bundling. `--tracing` adds the OpenTelemetry workflow interceptor, for workers that run
 * with OTEL_EXPORTER_OTLP_ENDPOINT set. The Dockerfile builds both at image build time.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { buildWorkflowBundle, manifestPathFor } from '../src/worker/workflow-bundle.js';

const { values } = parseArgs({
  options: { out: { type: 'string', default: 'dist/workflow-bundle.js' }, tracing: { type: 'boolean', default: false } },
});
const outFile = resolve(values.out);
// Loaded only for a traced bundle: its module path comes from the tracing code, which loads OpenTelemetry.
const tracingModule = values.tracing ? (await import('../src/observability/tracing.js')).OTEL_WORKFLOW_INTERCEPTORS_MODULE : undefined;
const startedAt = Date.now();
const manifest = await buildWorkflowBundle({ outFile, tracingModule });
console.log(`Wrote ${outFile} and ${manifestPathFor(outFile)} (${manifest.tracing ? 'with' : 'without'} the tracing interceptor) in ${Date.now() - startedAt} ms`);
