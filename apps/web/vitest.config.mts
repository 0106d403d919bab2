import { createRequire } from 'node:module';
import path from 'node:path';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    alias: [
      // The app's path alias (tsconfig.json `paths`), as Next.js resolves it.
      { find: /^@\//, replacement: `${import.meta.dirname}/` },
      // Outside Next.js's react-server build, `server-only` throws on import;
      // the tests run server modules in plain Node, where the guard has nothing to guard.
      { find: /^server-only$/, replacement: path.join(path.dirname(require.resolve('server-only')), 'empty.js') },
    ],
  },
  test: {
    environment: 'node',
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', '.next/**'],
    // Route tests start real local servers; keep a hung socket from hanging the run.
    testTimeout: 10_000,
    // The routes log for real (lib/server/log.ts); show those lines for failing tests only.
    silent: 'passed-only',
  },
});
