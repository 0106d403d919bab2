import 'server-only';
import type { WebEnv } from '@/env';
import { jaegerTraceUrl } from '@/lib/shared/routes';
import { BROWSER_SERVICE_NAME, DATA_PROCESSOR_SERVICE_NAME, SERVER_SERVICE_NAME } from '@/lib/shared/telemetry';
import { isTraceId } from '@tracelens/jaeger-query/trace-id';
import { watchLiveTrace } from '@/lib/server/live-trace';
import { traceStore } from '@/lib/server/trace-store';
import type { FailureAnswer, LiveEvent } from '@/lib/shared/api';

/** How often the store is read while the trace fills up, in milliseconds. */
const POLL_INTERVAL_MS = 500;
/** When the live view stops waiting and shows the trace as "still arriving", in milliseconds. */
const LIVE_TIMEOUT_MS = 15_000;

/** What the route needs from the environment. */
export type LiveTraceRouteEnv = Pick<WebEnv, 'traceQueryUrl' | 'jaegerUiUrl'>;

/**
 * `GET /api/traces/{traceId}/live`: the trace of one click as it arrives, as
 * server-sent events (`links`, then `snapshot`/`problem` as things change,
 * then `end`), read from the Jaeger query API at TRACE_QUERY_URL.
 *
 * One streamed request per click rather than a poll from the browser: the
 * store is read here, and the browser's fetch instrumentation (which does not
 * patch EventSource) does not add a span per poll to the store it is watching.
 */
export function liveTraceRoute(env: LiveTraceRouteEnv) {
  return async function GET(request: Request, { params }: { params: Promise<{ traceId: string }> }): Promise<Response> {
    const { traceId } = await params;
    if (!isTraceId(traceId)) {
      return Response.json(
        { error: `${JSON.stringify(traceId)} is not a trace id (1 to 32 hex digits)` } satisfies FailureAnswer,
        { status: 400, headers: { 'cache-control': 'no-store' } },
      );
    }
    const id = traceId.toLowerCase();
    const store = traceStore(env);
    const stop = new AbortController();
    request.signal.addEventListener('abort', () => stop.abort(), { once: true });
    const events = watchLiveTrace((wanted) => store.getTrace(wanted), id, {
      expectedServices: [BROWSER_SERVICE_NAME, SERVER_SERVICE_NAME, DATA_PROCESSOR_SERVICE_NAME],
      intervalMs: POLL_INTERVAL_MS,
      timeoutMs: LIVE_TIMEOUT_MS,
      signal: stop.signal,
    });

    const encoder = new TextEncoder();
    const message = (event: LiveEvent) => encoder.encode(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
    let sentLinks = false;
    const stream = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (!sentLinks) {
          sentLinks = true;
          controller.enqueue(message({ type: 'links', jaegerUrl: env.jaegerUiUrl === null ? null : jaegerTraceUrl(env.jaegerUiUrl, id) }));
          return;
        }
        const next = await events.next();
        if (next.done) {
          controller.close();
        } else {
          controller.enqueue(message(next.value));
        }
      },
      async cancel() {
        stop.abort();
        await events.return(undefined);
      },
    });
    return new Response(stream, {
      headers: {
        'content-type': 'text/event-stream; charset=utf-8',
        // no-transform keeps `next start`'s compression from buffering the stream.
        'cache-control': 'no-cache, no-transform',
        'x-accel-buffering': 'no',
      },
    });
  }
}
