import type { ClientRequest, IncomingMessage, ServerResponse } from 'node:http';
import type { Span } from '@opentelemetry/api';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { ATTR_CALLER_GONE, EVENT_CALLER_GONE } from '../attributes.js';

/** Health checks (Docker, compose, probes) would otherwise fill the trace store. */
const UNTRACED_PATHS = new Set(['/health']);

/**
 * The instrumentations of this app, shared by src/tracing.ts and the tests.
 *
 * - HTTP, for server spans: they start in `http.Server.prototype.emit`, which
 *   @tracelens/otel-node patches even for ESM (see requireBuiltinTargets there).
 *   A server span whose caller went away is marked (see markUnanswered).
 * - Undici, for client spans of the global `fetch` (the flaky scenario's calls)
 *   and the `traceparent`/`baggage` they carry. It listens on Node's
 *   diagnostics channels, so ESM needs no patching. Only requests made while
 *   a span is active get a span: this app calls out only while serving a
 *   request, and a root span for a bare `fetch` (a test's, say) is noise.
 *
 * Nothing here covers Nest itself: @opentelemetry/instrumentation-nestjs-core
 * supports Nest < 12 only and silently does nothing on this ESM-only Nest; the
 * NestSpanInterceptor provides its spans and `http.route` instead.
 */
export function createInstrumentations(): [HttpInstrumentation, UndiciInstrumentation] {
  return [
    new HttpInstrumentation({
      ignoreIncomingRequestHook: (request: IncomingMessage) => UNTRACED_PATHS.has(pathOf(request.url)),
      applyCustomAttributesOnSpan: markUnanswered,
    }),
    new UndiciInstrumentation({ requireParentforSpans: true }),
  ];
}

/**
 * The HTTP instrumentation ends a server span when the connection closes,
 * answered or not, and then records the response's default status (200) even
 * if nothing was sent. When the caller went away first, say so: `caller.gone`
 * and a `caller went away` event, as on the work span it cut off. The status
 * stays unset: the server did nothing wrong. Client spans (an IncomingMessage
 * as `response`) are left alone.
 */
export function markUnanswered(
  span: Span,
  _request: ClientRequest | IncomingMessage,
  response: IncomingMessage | ServerResponse,
): void {
  if ('writableFinished' in response && !response.writableFinished) {
    span.setAttribute(ATTR_CALLER_GONE, true);
    span.addEvent(EVENT_CALLER_GONE);
  }
}

function pathOf(url: string | undefined): string {
  const path = (url ?? '/').split('?', 1)[0] ?? '/';
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}
