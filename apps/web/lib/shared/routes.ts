/** Paths of this app's API, shared by the browser code and the server. */

/** Same-origin relay that forwards browser OTLP/HTTP exports to the collector. */
export const OTLP_RELAY_PATH = '/api/otlp/v1/traces';

/** Liveness probe. */
export const HEALTH_PATH = '/api/health';

/** The frontend-api route for one name (the name must already pass `checkName`). */
export function processPath(name: string): string {
  return `/api/process/${encodeURIComponent(name)}`;
}

/** The trace search page; also the prefix of every trace page. */
export const TRACES_PATH = '/traces';

/** Rate, errors and latency per service and operation (RED metrics). */
export const SERVICES_PATH = '/services';

/** Route handlers the trace pages use (the trace store itself stays server-side). */
export const TRACE_API_PREFIX = '/api/traces';

/** Operation names of a service, for the search form: `?service=`. */
export const OPERATIONS_PATH = '/api/operations';

/** The full trace page, optionally with one span selected. */
export function tracePath(traceId: string, spanId?: string): string {
  const path = `${TRACES_PATH}/${encodeURIComponent(traceId)}`;
  return spanId === undefined ? path : `${path}?span=${encodeURIComponent(spanId)}`;
}

/** Server-sent events with the trace as it fills up (see app/api/traces/[traceId]/live). */
export function liveTracePath(traceId: string): string {
  return `${TRACE_API_PREFIX}/${encodeURIComponent(traceId)}/live`;
}

/** The trace in a Jaeger UI at `jaegerUiUrl` (no trailing slash). */
export function jaegerTraceUrl(jaegerUiUrl: string, traceId: string): string {
  return `${jaegerUiUrl}/trace/${encodeURIComponent(traceId)}`;
}
