import { z } from 'zod';

/** What this package reads from the environment: where the built binary goes. */
const schema = z.object({
  /** Where the Jaeger build goes; default `.cache/` in this package (gitignored). Lets CI keep the binary elsewhere, and a test see a machine without a build. */
  TRACELENS_JAEGER_CACHE_DIR: z.preprocess((value) => (value === '' ? undefined : value), z.string().optional()),
});

export interface JaegerToolEnv {
  /** TRACELENS_JAEGER_CACHE_DIR, or undefined for the default. */
  readonly cacheDir: string | undefined;
}

export function readJaegerToolEnv(source: Readonly<Record<string, string | undefined>> = inheritedEnv()): JaegerToolEnv {
  return { cacheDir: schema.parse(source).TRACELENS_JAEGER_CACHE_DIR };
}

/**
 * The environment this process was started with, as it is: what `go build`
 * and the Jaeger process inherit. The one read of `process.env` in this package.
 */
export function inheritedEnv(): Readonly<Record<string, string | undefined>> {
  return process.env;
}
