/** Names that the traces of this app are recognised by: services, tracer and span names. */

/** `service.name` of the server side (route handlers). */
export const SERVER_SERVICE_NAME = 'frontend-api';

/** `service.name` of the browser side. */
export const BROWSER_SERVICE_NAME = 'web-ui';

/** Instrumentation scope of the spans this app starts itself. */
export const TRACER_NAME = '@tracelens/web';

/** Browser span around one click, parent of the traced fetch. */
export const SPAN_PROCESS_CLICK = 'process click';

/** Server span around the route's own work and its call to the data-processor. */
export const SPAN_PROCESS_DATA_LOGIC = 'process-data-logic';

/**
 * `service.name` of the NestJS data-processor (set there, not here). A click's
 * trace is complete once spans of all three services have arrived.
 */
export const DATA_PROCESSOR_SERVICE_NAME = 'data-processor';

/** Browser span around one scenario click (or one request of a load run), parent of the traced fetch. */
export const SPAN_SCENARIO_CLICK = 'scenario click';

/** Server span around the contention scenario's data-processor call. */
export const SPAN_SCENARIO_CONTENTION = 'scenario contention';

/** Server span around a fan-out batch; parent of one `process item` per name. */
export const SPAN_FAN_OUT = 'fan-out';

/** Server span around one name of a fan-out batch (its `GET /data/{name}`). */
export const SPAN_PROCESS_ITEM = 'process item';

/** Server span around the flaky scenario's data-processor call. */
export const SPAN_SCENARIO_FLAKY = 'scenario flaky';

/** Server span around the timeout scenario's deadline-bound data-processor call. */
export const SPAN_SCENARIO_TIMEOUT = 'scenario timeout';
