/*
 * Span attribute keys and values of our own. Keys with a stable semantic
 * convention come from @opentelemetry/semantic-conventions (ATTR_*) instead.
 */

/** The `:name` path parameter, as received (after validation). */
export const ATTR_DATA_INPUT_NAME = 'data.input_name';
/** What processing produced: the upper-cased name. Absent when processing failed. */
export const ATTR_DATA_RESULT = 'data.result';
/** Milliseconds of simulated work; 0 when TRACELENS_SIMULATED_WORK=off (/data) or CONTENTION_WORK_MS=0 (`use connection`). */
export const ATTR_DATA_SIMULATED_WORK_MS = 'data.simulated_work_ms';

/*
 * Contention scenario: the pool guarding the simulated resource
 * (`wait for connection` span).
 */

/** Connections in the pool (CONTENTION_POOL_SIZE). */
export const ATTR_POOL_SIZE = 'pool.size';
/** Requests that may wait at most (CONTENTION_MAX_QUEUE). */
export const ATTR_POOL_MAX_QUEUE = 'pool.max_queue';
/** Requests holding or waiting for a connection when this one arrived. */
export const ATTR_POOL_REQUESTS_AHEAD = 'pool.requests_ahead';
/** Milliseconds this request waited for its connection. */
export const ATTR_POOL_WAIT_MS = 'pool.wait_ms';

/*
 * Flaky scenario: retries of the inventory call (`call inventory` and its
 * `inventory attempt` children). The semantic conventions have no retry
 * namespace; `http.request.resend_count` (ATTR_HTTP_REQUEST_RESEND_COUNT) is
 * set beside `retry.attempt` for tools that know only that.
 */

/** 1-based number of this attempt. */
export const ATTR_RETRY_ATTEMPT = 'retry.attempt';
/** Milliseconds waited (backoff) between the previous attempt and this one; 0 for the first. */
export const ATTR_RETRY_BACKOFF_MS = 'retry.backoff_ms';
/** Attempts allowed (FLAKY_MAX_ATTEMPTS). */
export const ATTR_RETRY_MAX_ATTEMPTS = 'retry.max_attempts';
/** Attempts made. */
export const ATTR_RETRY_ATTEMPTS = 'retry.attempts';
/** How the retries ended: one of RETRY_OUTCOME_VALUES. */
export const ATTR_RETRY_OUTCOME = 'retry.outcome';
export const RETRY_OUTCOME_VALUE_SUCCESS = 'success';
/** Every attempt failed with an error worth retrying. */
export const RETRY_OUTCOME_VALUE_EXHAUSTED = 'exhausted';
/** An attempt failed with an error retrying cannot fix (a 4xx), so no more were made. */
export const RETRY_OUTCOME_VALUE_REJECTED = 'rejected';

/** Probability (0-1) with which the inventory downstream fails. */
export const ATTR_INVENTORY_FAILURE_RATE = 'inventory.failure_rate';
/** Quantity in stock the inventory answered. */
export const ATTR_INVENTORY_QUANTITY = 'inventory.quantity';

/* Slow scenario (`slow work`). */

/** Milliseconds the work was asked to take. */
export const ATTR_SLOW_DELAY_MS = 'slow.delay_ms';
/** Milliseconds after which the caller went away (on the `caller went away` event). */
export const ATTR_SLOW_ELAPSED_MS = 'slow.elapsed_ms';

/** True on a span whose caller closed the connection before the answer was sent. */
export const ATTR_CALLER_GONE = 'caller.gone';
/** Event added to a span when its caller goes away. */
export const EVENT_CALLER_GONE = 'caller went away';

/*
 * The keys and values @opentelemetry/instrumentation-nestjs-core used, kept so
 * queries and dashboards written against it still match (that instrumentation
 * does nothing on Nest 12; see telemetry/nest-span.interceptor.ts).
 */
export const ATTR_COMPONENT = 'component';
export const ATTR_NESTJS_VERSION = 'nestjs.version';
export const ATTR_NESTJS_TYPE = 'nestjs.type';
export const ATTR_NESTJS_CONTROLLER = 'nestjs.controller';
export const ATTR_NESTJS_CALLBACK = 'nestjs.callback';
export const COMPONENT_VALUE_NESTJS = '@nestjs/core';
export const NESTJS_TYPE_VALUE_REQUEST_CONTEXT = 'request_context';
