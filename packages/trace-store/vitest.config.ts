import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // The store's threads run compiled code: build it first (see test/build-dist.ts).
    globalSetup: ['test/build-dist.ts'],
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Some tests write and search a few thousand exports (3 s alone); on a machine busy with the other packages' tests
    // that passes vitest's 5 s default. This only bounds a hang: nothing waits for it.
    testTimeout: 30_000,
  },
});
