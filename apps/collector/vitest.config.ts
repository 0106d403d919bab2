import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Every test here starts the CLI as a process of its own (node, the store,
    // SQLite), which takes seconds when the unit tests of every package run
    // side by side on two cores; 5 s timed them out. This only bounds a hang:
    // no test waits for it, and urlsOf's own deadline is 10 s.
    testTimeout: 30_000,
  },
});
