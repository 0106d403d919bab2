import 'server-only';
import { JaegerQueryClient, JaegerQueryError } from '@tracelens/jaeger-query';
import type { WebEnv } from '@/env';
import type { TraceLogsState } from '@/lib/shared/trace-model/logs';

/**
 * The trace store the pages and routes read: the Jaeger query API at
 * TRACE_QUERY_URL (the embedded store or a real Jaeger), through the
 * repository's one client. The browser never reads it directly.
 */
export function traceStore(env: Pick<WebEnv, 'traceQueryUrl'>): JaegerQueryClient {
  return new JaegerQueryClient({ baseUrl: env.traceQueryUrl });
}

/**
 * The trace's logs as the trace page shows them: a store without logs (404)
 * is a state, not an error. Never rejects: it runs beside the span read,
 * whose failure must not leave this promise's rejection unhandled.
 */
export async function readTraceLogs(store: JaegerQueryClient, traceId: string): Promise<TraceLogsState> {
  try {
    const logs = await store.getTraceLogs(traceId);
    return logs === null ? { kind: 'unsupported' } : { kind: 'ok', logs };
  } catch (error) {
    if (error instanceof JaegerQueryError) return { kind: 'error', message: error.message };
    console.error('[tracelens] reading the logs of trace %s failed', traceId, error);
    return { kind: 'error', message: 'an unexpected error (see the server log)' };
  }
}
