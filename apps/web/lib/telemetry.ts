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
