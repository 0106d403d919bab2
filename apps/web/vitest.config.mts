import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    environment: 'node',
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', '.next/**'],
    // Route tests start real local servers; keep a hung socket from hanging the run.
    testTimeout: 10_000,
  },
});
