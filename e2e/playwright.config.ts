import { defineConfig } from '@playwright/test';
import { readE2eEnv } from './env.mjs';
import type { BackendOptions } from './fixtures/backend.js';

const env = readE2eEnv();

/**
 * Debian's Chromium (Playwright's own browser download is unavailable on our
 * machines). CHROMIUM_PATH overrides the binary.
 */
const chromium = env.chromiumPath;

/** Checks of repository files that start no stack, run once (not per backend). */
const STATIC = /(docker-compose|e2e-runner)\.spec\.ts/;

export default defineConfig<BackendOptions>({
  testDir: './tests',
  outputDir: './test-results',
  // One worker: the stack (backend, data-processor, Next.js) is started once
  // per worker and the machines have two cores.
  workers: 1,
  fullyParallel: false,
  forbidOnly: env.ci,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [['list'], ['html', { open: 'never', outputFolder: 'playwright-report' }]],
  use: {
    browserName: 'chromium',
    headless: true,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: chromium,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  // The whole suite runs on both trace backends; `npm test` (run.mjs) runs
  // the jaeger project where the real Jaeger can be built, and says so when not.
  projects: [
    { name: 'static', testMatch: STATIC },
    { name: 'embedded', testIgnore: STATIC, use: { backend: 'embedded' } },
    {
      name: 'jaeger',
      testIgnore: STATIC,
      // @embedded-only: what only the embedded store has (log records and
      // their endpoint, a database that outlives a crash); each tagged test
      // says why next to its tag.
      grepInvert: /@embedded-only/,
      use: { backend: 'jaeger' },
    },
  ],
});
