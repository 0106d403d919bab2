import { defineConfig } from 'vitest/config';

export default defineConfig({
  // *.e2e.test.ts start the stack: `npm run test:e2e`, vitest.e2e.config.ts.
  test: { include: ['test/**/*.test.ts'], exclude: ['test/**/*.e2e.test.ts'] },
});
