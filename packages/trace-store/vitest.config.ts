import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // The store's threads run compiled code: build it first (see test/build-dist.ts).
    globalSetup: ['test/build-dist.ts'],
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
  },
});
