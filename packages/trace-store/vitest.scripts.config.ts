import { defineConfig } from 'vitest/config';

/**
 * The conformance suite's maintenance scripts (test/conformance/*.run.ts),
 * run through vitest because it is this package's TypeScript runner:
 * `npm run jaeger:record`, `conformance:record-corpus`,
 * `conformance:write-synthetic`. They write files; the unit suite never
 * includes them.
 */
export default defineConfig({
  test: {
    // The store's threads run compiled code: build it first (see test/build-dist.ts).
    globalSetup: ['test/build-dist.ts'],
    include: ['test/conformance/*.run.ts'],
    testTimeout: 30 * 60_000,
    hookTimeout: 30 * 60_000,
    fileParallelism: false,
  },
});
