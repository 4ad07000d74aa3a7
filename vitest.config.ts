import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    globalSetup: ['./test/global-setup.ts'],
    include: ['src/**/*.test.ts', 'bench/**/*.test.ts', 'chaos/**/*.test.ts', 'devstack/**/*.test.ts', 'simulators/**/*.test.ts', 'test/**/*.test.ts'],
    // The cluster suite has its own config and step (`npm run test:cluster`): it starts a whole cluster.
    exclude: ['test/cluster/**', '**/node_modules/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores: more files at once only queue behind each other and stretch the timeouts.
    maxWorkers: 2,
    pool: 'forks',
  },
});
