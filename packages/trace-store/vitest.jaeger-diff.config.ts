import { defineConfig } from 'vitest/config';

/**
 * The differential suite against the real Jaeger (`npm run
 * test:jaeger-diff`): one file, run alone, with room for the first Jaeger
 * build (minutes) and a dozen short-lived Jaeger processes per encoding.
 */
export default defineConfig({
  test: {
    // The store's threads run compiled code: build it first (see test/build-dist.ts).
    globalSetup: ['test/build-dist.ts'],
    include: ['test/conformance/jaeger-diff.live.ts'],
    testTimeout: 60_000,
    hookTimeout: 30 * 60_000,
    fileParallelism: false,
  },
});
