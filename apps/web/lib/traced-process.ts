import { context, SpanStatusCode, trace } from '@opentelemetry/api';
import { ATTR_ERROR_TYPE, ATTR_HTTP_RESPONSE_STATUS_CODE } from '@opentelemetry/semantic-conventions';
import { ATTR_USER_NAME } from './attributes';
import { withClickBaggage } from './browser-baggage';
import { processPath } from './routes';
import { SPAN_PROCESS_CLICK, TRACER_NAME } from './telemetry';
import { readJsonObject } from './read-json-object';
import { traceIdOf } from './trace-context';

/** What one click ends in, ready to show. `traceId` is null only when tracing is off. */
export type ProcessOutcome =
  | { readonly kind: 'ok'; readonly name: string; readonly result: unknown; readonly traceId: string | null }
  | { readonly kind: 'error'; readonly name: string; readonly message: string; readonly traceId: string | null };

/** An answer of HTTP >= 400, with the trace id the server reported if it got that far. */
class ProcessRequestError extends Error {
  override readonly name = 'ProcessRequestError';

  constructor(
    message: string,
    readonly status: number,
    readonly traceId: string | null,
  ) {
    super(message);
  }
}

/**
 * Resolves once browser tracing can record a span, or has given up. By
 * default (tracing built out, unit tests) there is nothing to wait for;
 * instrumentation-client.ts, which loads the SDK only after hydration, sets it.
 */
let browserTracingReady: () => Promise<void> = () => Promise.resolve();

/** For instrumentation-client.ts: what a click waits for before it starts its span. */
export function setBrowserTracingReady(ready: () => Promise<void>): void {
  browserTracingReady = ready;
}

/**
 * Browser side of one click: a `process click` span (attribute `user.name`)
 * that parents the traced `GET /api/process/{name}`, both with the tab's
 * `session.id` and `user.id` in their context's baggage (lib/browser-baggage.ts). Errors (HTTP >= 400 or a
 * network failure) are recorded on the span and turned into an outcome, never
 * thrown. The span ends right after `show` returns, so `show` should put the
 * outcome on screen synchronously (the page uses `flushSync`).
 */
export async function runTracedProcess(name: string, show: (outcome: ProcessOutcome) => void): Promise<void> {
  // Already resolved unless the click came before the SDK had loaded.
  await browserTracingReady();
  // Parent of the click span (the baggage span processor copies its entries
  // onto it) and, with the span set, of the fetch, whose `baggage` header it becomes.
  const clickContext = withClickBaggage(context.active());
  const span = trace.getTracer(TRACER_NAME).startSpan(SPAN_PROCESS_CLICK, { attributes: { [ATTR_USER_NAME]: name } }, clickContext);
  const clickTraceId = traceIdOf(span);
  let outcome: ProcessOutcome;
  try {
    // The browser has no zone.js: StackContextManager forgets the active span at
    // the first `await`. So fetch() is *called* synchronously inside
    // context.with, where the fetch instrumentation reads its parent and
    // injects `traceparent` and `baggage`; only the returned promise is awaited outside.
    const response = await context.with(trace.setSpan(clickContext, span), () =>
      fetch(processPath(name), { headers: { accept: 'application/json' }, cache: 'no-store' }),
    );
    span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, response.status);
    const body = await readJsonObject(response);
    // The server's trace id is the one its spans carry; it equals ours when
    // propagation works, and shows the break when it does not.
    const traceId = typeof body?.traceId === 'string' ? body.traceId : clickTraceId;
    if (response.status >= 400) {
      const reason = typeof body?.error === 'string' ? body.error : `HTTP ${response.status} ${response.statusText}`.trim();
      throw new ProcessRequestError(reason, response.status, traceId);
    }
    outcome = { kind: 'ok', name, result: body?.result ?? body, traceId };
  } catch (error) {
    const failure = error instanceof Error ? error : new Error(String(error));
    span.recordException(failure);
    span.setStatus({ code: SpanStatusCode.ERROR, message: failure.message });
    span.setAttribute(ATTR_ERROR_TYPE, failure instanceof ProcessRequestError ? String(failure.status) : failure.name);
    outcome = {
      kind: 'error',
      name,
      message: failure instanceof ProcessRequestError ? failure.message : `Network error: ${failure.message}`,
      traceId: failure instanceof ProcessRequestError ? failure.traceId : clickTraceId,
    };
  }
  try {
    show(outcome);
  } finally {
    span.end();
  }
}
