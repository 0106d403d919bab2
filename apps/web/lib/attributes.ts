/**
 * Span attribute keys that are not stable OpenTelemetry semantic conventions.
 * Stable ones come from `@opentelemetry/semantic-conventions` (`ATTR_*`).
 */

/**
 * The name being processed, on `process click` (browser) and
 * `process-data-logic` (frontend-api). Same key as the incubating semconv
 * `user.name`; kept here rather than imported from the `incubating` entry
 * point, whose exports may change in any minor release.
 */
export const ATTR_USER_NAME = 'user.name';

/**
 * Request path and query that Next.js puts on its root server span at start
 * (it still uses the older HTTP conventions). Read by the sampler, not set by us.
 */
export const ATTR_NEXT_HTTP_TARGET = 'http.target';
