import { readFileSync } from 'node:fs';
import { z } from 'zod';

/** `service.name` of this app's resource (OTEL_SERVICE_NAME overrides it) and the logger's `service`. */
export const SERVICE_NAME = 'data-processor';

/**
 * `service.version`, read from this app's package.json so it cannot drift.
 * The path holds from both src/telemetry (tests) and dist/telemetry (runtime);
 * the Docker image keeps package.json next to dist/ for this.
 */
export const SERVICE_VERSION = z
  .object({ version: z.string().min(1) })
  .parse(JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'))).version;

/** Instrumentation scope of the spans this app creates itself. */
export const TRACER_NAME = '@tracelens/data-processor';
