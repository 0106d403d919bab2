/*
 * Span attribute keys and values of our own. Keys with a stable semantic
 * convention come from @opentelemetry/semantic-conventions (ATTR_*) instead.
 */

/** The `:name` path parameter, as received (after validation). */
export const ATTR_DATA_INPUT_NAME = 'data.input_name';
/** What processing produced: the upper-cased name. Absent when processing failed. */
export const ATTR_DATA_RESULT = 'data.result';
/** Milliseconds of simulated work; 0 when TRACELENS_SIMULATED_WORK=off. */
export const ATTR_DATA_SIMULATED_WORK_MS = 'data.simulated_work_ms';

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
