import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    environment: 'node',
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', '.next/**'],
    // Route tests start real local servers; keep a hung socket from hanging the run.
    testTimeout: 10_000,
    // The routes log for real (lib/server-log.ts); show those lines for failing tests only.
    silent: 'passed-only',
  },
});
