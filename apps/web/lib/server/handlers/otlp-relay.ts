import 'server-only';
import type { WebEnv } from '@/env';
import { readLimited } from '@/lib/server/read-limited';

/** What the route needs from the environment. */
export type OtlpRelayRouteEnv = Pick<WebEnv, 'otlpTracesUrl' | 'otlpRelayMaxBytes' | 'otlpRelayTimeoutMs'>;

/**
 * Same-origin relay for the browser's OTLP/HTTP span exports, so the page
 * needs no CORS and the collector stays private.
 *
 * It starts no span and its requests are not traced: Next's server span is
 * dropped by the sampler, and the post to the collector is in @vercel/otel's
 * `ignoreUrls` (see lib/server/tracing.ts).
 */

const ACCEPTED_MEDIA_TYPES = new Set(['application/json', 'application/x-protobuf']);

export function otlpRelayRoute(env: OtlpRelayRouteEnv) {
  return async function POST(request: Request): Promise<Response> {
    const contentType = request.headers.get('content-type') ?? '';
    const mediaType = contentType.split(';', 1)[0]?.trim().toLowerCase() ?? '';
    if (!ACCEPTED_MEDIA_TYPES.has(mediaType)) {
      return problem(415, 'Content-Type must be application/json or application/x-protobuf', {
        'accept-post': [...ACCEPTED_MEDIA_TYPES].join(', '),
      });
    }

    const tooLarge = `OTLP body larger than ${env.otlpRelayMaxBytes} bytes`;
    // Refuse early when the size is announced; count anyway, since it may be
    // missing (chunked) or wrong.
    const declaredLength = Number(request.headers.get('content-length') ?? Number.NaN);
    if (declaredLength > env.otlpRelayMaxBytes) {
      return problem(413, tooLarge);
    }
    const body = await readLimited(request.body, env.otlpRelayMaxBytes);
    if (!body.ok) {
      return problem(413, tooLarge);
    }

    const headers = new Headers({ 'content-type': contentType });
    const contentEncoding = request.headers.get('content-encoding');
    if (contentEncoding) {
      headers.set('content-encoding', contentEncoding);
    }
    // One deadline for the whole exchange, reading the answer included.
    const signal = AbortSignal.timeout(env.otlpRelayTimeoutMs);
    try {
      const upstream = await fetch(env.otlpTracesUrl, { method: 'POST', headers, body: body.bytes, signal, cache: 'no-store' });
      const answer = await upstream.arrayBuffer();
      if (upstream.ok && !reportsRejections(mediaType, answer)) {
        // Everything was stored: answer with no body. The browser's exporter
        // never reads the answer of its keepalive fetch, and Chromium keeps such
        // a request's bytes in its 64 KiB keepalive budget until the unread body
        // is garbage-collected, so after twenty-odd exports every later one
        // failed. A bodiless 204 completes the request at once.
        return new Response(null, { status: 204, headers: { 'cache-control': 'no-store' } });
      }
      const answerHeaders = new Headers({ 'cache-control': 'no-store' });
      const answerType = upstream.headers.get('content-type');
      if (answerType) {
        answerHeaders.set('content-type', answerType);
      }
      return new Response(answer, { status: upstream.status, headers: answerHeaders });
    } catch (error) {
      if (error instanceof Error && error.name === 'TimeoutError') {
        return problem(504, `collector did not answer within ${env.otlpRelayTimeoutMs} ms`);
      }
      return problem(502, 'collector unreachable');
    }
  }
}

/**
 * Whether a collector's 2xx answer reports rejected spans (OTLP
 * `partialSuccess`), which the relay passes on. An empty protobuf answer is
 * an ExportTraceServiceResponse with nothing set; a JSON one that does not
 * parse is passed on rather than guessed at.
 */
function reportsRejections(mediaType: string, answer: ArrayBuffer): boolean {
  if (answer.byteLength === 0) return false;
  if (mediaType !== 'application/json') return true;
  try {
    const partial = (JSON.parse(new TextDecoder().decode(answer)) as { partialSuccess?: { rejectedSpans?: unknown; errorMessage?: unknown } })
      .partialSuccess;
    return partial !== undefined && (Number(partial.rejectedSpans ?? 0) > 0 || Boolean(partial.errorMessage));
  } catch {
    return true;
  }
}

function problem(status: number, error: string, extraHeaders: Record<string, string> = {}): Response {
  return Response.json({ error }, { status, headers: { 'cache-control': 'no-store', ...extraHeaders } });
}
