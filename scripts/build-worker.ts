/**
 * `npx tsx scripts/build-worker.ts`: compiles the worker (devstack/worker-memory.ts, compileWorker)
 * into dist/worker/main.mjs, to run with plain node and WORKFLOW_BUNDLE_PATH. The Dockerfile runs it
 * at image build time; `npm start` compiles its own copy at every start.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { COMPILED_WORKER_DIR, compileWorker } from '../devstack/worker-memory.js';

const outFile = join(COMPILED_WORKER_DIR, 'main.mjs');
const startedAt = Date.now();
const code = await compileWorker();
await mkdir(COMPILED_WORKER_DIR, { recursive: true });
await writeFile(outFile, code);
console.log(`Wrote ${outFile} (${Math.round(code.length / 1024)} KiB) in ${Date.now() - startedAt} ms`);
