// The e2e suite's environment, parsed once, for run.mjs and playwright.config.ts.
// Plain JavaScript (with JSDoc types), since run.mjs runs on Node with no build.
import { z } from 'zod';

const schema = z.object({
  /** The Chromium Playwright drives. Default Debian's `/usr/bin/chromium` (Playwright's own download is unavailable here). */
  CHROMIUM_PATH: z.preprocess((value) => (value === '' ? undefined : value), z.string().default('/usr/bin/chromium')),
  /** `1`: an unavailable real Jaeger fails the run instead of skipping the Jaeger half (CI sets it). Default unset. */
  TRACELENS_REQUIRE_JAEGER: z.string().optional(),
  /** Set by CI: `test.only` fails the run. */
  CI: z.string().optional(),
});

/**
 * @typedef {object} E2eEnv
 * @property {string} chromiumPath
 * @property {boolean} requireJaeger
 * @property {boolean} ci
 */

/** @returns {E2eEnv} */
export function readE2eEnv() {
  const env = schema.parse(process.env);
  return { chromiumPath: env.CHROMIUM_PATH, requireJaeger: env.TRACELENS_REQUIRE_JAEGER === '1', ci: Boolean(env.CI) };
}
