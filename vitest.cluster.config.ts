import { defineConfig } from 'vitest/config';

/**
 * `npm run test:cluster`: the suite that runs the system on a real Temporal cluster. Apart from
 * `npm test` because the cluster takes a minute or more to start (minutes more on the first run,
 * which builds the server with Go); CI runs it as a step of its own.
 */
export default defineConfig({
  test: {
    include: ['test/cluster/**/*.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 900_000,
    maxWorkers: 1,
    pool: 'forks',
  },
});
