import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

/**
 * `npm run histories:record`: the same dev server, PostgreSQL and workflow bundle as the tests,
 * but only the recording, which rewrites test/replay/histories. `npm test` never runs it.
 */
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: ['test/replay/record-histories.recording.ts', 'test/replay/record-webhook-histories.recording.ts'],
    // Scenarios share one stack and change its gateway's faults: one at a time, in order.
    maxWorkers: 1,
  },
});
