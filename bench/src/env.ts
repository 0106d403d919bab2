import { z } from 'zod';

/** What the benchmarks read from the environment. */
const schema = z.object({
  /** The Chromium the browser benchmarks drive. Default Debian's `/usr/bin/chromium` (Playwright's own download is unavailable here), as the e2e suite. */
  CHROMIUM_PATH: z.preprocess((value) => (value === '' ? undefined : value), z.string().default('/usr/bin/chromium')),
});

export interface BenchEnv {
  readonly chromiumPath: string;
}

export function readBenchEnv(source: Readonly<Record<string, string | undefined>> = inheritedEnv()): BenchEnv {
  return { chromiumPath: schema.parse(source).CHROMIUM_PATH };
}

/**
 * The environment this process was started with, as it is: what a
 * `next build` it runs inherits. The one read of `process.env` in this package.
 */
export function inheritedEnv(): Readonly<Record<string, string | undefined>> {
  return process.env;
}
