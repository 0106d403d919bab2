/** Paths of this app's API, shared by the browser code and the server. */

/** Same-origin relay that forwards browser OTLP/HTTP exports to the collector. */
export const OTLP_RELAY_PATH = '/api/otlp/v1/traces';

/** Liveness probe. */
export const HEALTH_PATH = '/api/health';

/** The frontend-api route for one name (the name must already pass `checkName`). */
export function processPath(name: string): string {
  return `/api/process/${encodeURIComponent(name)}`;
}
