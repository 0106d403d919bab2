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

/**
 * The response status in the older HTTP conventions, which Next.js (its root
 * server span) and @vercel/otel (its fetch spans) still write. Copied to the
 * stable `http.response.status_code` by lib/server/stable-status-code.ts; not set by us.
 */
export const ATTR_LEGACY_HTTP_STATUS_CODE = 'http.status_code';

/**
 * Kind of a Next.js span (`BaseServer.handleRequest`, `RouteModule.prepare`,
 * ...), which Next.js puts on every span of its own at start. Read by the
 * sampler, not set by us.
 */
export const ATTR_NEXT_SPAN_TYPE = 'next.span_type';

/** `fan-out`: how many names the batch holds (frontend-api). */
export const ATTR_FANOUT_BATCH_SIZE = 'fanout.batch_size';

/** `fan-out`: most `process item` calls in flight at once (`FANOUT_CONCURRENCY`). */
export const ATTR_FANOUT_CONCURRENCY = 'fanout.concurrency';

/** `fan-out`: how many items failed (partial failures do not mark the span ERROR; all failing does). */
export const ATTR_FANOUT_FAILED = 'fanout.failed';

/** `scenario flaky`: the failure rate (0-1) passed to the data-processor, when the caller gave one. */
export const ATTR_FLAKY_FAILURE_RATE = 'flaky.failure_rate';

/** `scenario timeout`: the frontend-api's deadline for the data-processor call, in milliseconds. */
export const ATTR_TIMEOUT_DEADLINE_MS = 'timeout.deadline_ms';

/** `scenario timeout`: how long the data-processor was asked to take, in milliseconds. */
export const ATTR_TIMEOUT_DELAY_MS = 'timeout.delay_ms';

/** `scenario timeout`: true when the deadline fired and the call was cut off (false when it answered in time). */
export const ATTR_TIMEOUT_CUT_OFF = 'timeout.cut_off';

/**
 * The browser's fetch spans: how long the request waited in the browser
 * before it was sent, in milliseconds (fractional). From the Resource Timing
 * events the fetch instrumentation records: `requestStart` − `fetchStart`,
 * less the DNS lookup (`domainLookupStart`..`domainLookupEnd`) and the
 * connection set-up (`connectStart`..`connectEnd`, TLS included) in between.
 * Mostly the browser's own connection limit: Chromium opens at most 6
 * connections per origin over HTTP/1.1, and holds further requests until one
 * is free. No semantic convention covers it (set by lib/browser/browser-tracing.ts,
 * read by the trace viewer, lib/shared/trace-model/queued.ts).
 */
export const ATTR_FETCH_QUEUED_MS = 'fetch.queued_ms';

/** `scenario click` (browser): which scenario the click ran (`contention`, `fanout`, `flaky`, `timeout`). */
export const ATTR_SCENARIO_NAME = 'scenario.name';

/**
 * The browser tab's session: a random id kept in sessionStorage, sent as W3C
 * baggage with every traced click and copied onto spans, by the baggage span
 * processor, in every tier it reaches (lib/browser/browser-baggage.ts). Same key as
 * the incubating semconv `session.id`.
 */
export const ATTR_SESSION_ID = 'session.id';

/**
 * An anonymous id of the browser profile (localStorage), sent and copied like
 * `session.id`. Same key as the incubating semconv `user.id`; it names no person.
 */
export const ATTR_USER_ID = 'user.id';

/**
 * Resource attributes naming the host a process runs on, which the trace
 * viewer's clock-skew adjuster keys clocks on as Jaeger does
 * (lib/shared/trace-model/clock-skew.ts). Same keys as the incubating semconv
 * `host.id`, `host.ip` (a list of addresses) and `host.name`, kept here for
 * the reason given at `ATTR_USER_NAME`. Set by OpenTelemetry's host detector
 * in both Node tiers, never by the browser.
 */
export const ATTR_HOST_ID = 'host.id';
export const ATTR_HOST_IP = 'host.ip';
export const ATTR_HOST_NAME = 'host.name';

/** The process tag Jaeger's own clients report their address in; read like `host.ip`. */
export const ATTR_JAEGER_CLIENT_IP = 'ip';
