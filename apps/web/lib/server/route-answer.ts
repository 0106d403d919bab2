import 'server-only';
import { SpanStatusCode, trace, type Attributes, type Span } from '@opentelemetry/api';
import { ATTR_ERROR_TYPE } from '@opentelemetry/semantic-conventions';
import { DataProcessorError } from './data-processor';
import { log } from './log';
import { checkName } from '@/lib/shared/name-rule';
import { TRACER_NAME } from '@/lib/shared/telemetry';
import type { FailureAnswer, ResultAnswer } from '@/lib/shared/api';
import { TRACERESPONSE_HEADER, traceIdOf, traceResponseOf } from '@/lib/shared/trace-context';

/**
 * A JSON answer that is never cached, with a W3C `traceresponse` header naming
 * `span` (Next's `executing api route` span, or ours when Next's is absent).
 */
export function answerJson(status: number, body: unknown, span: Span | undefined): Response {
  const headers = new Headers({ 'cache-control': 'no-store' });
  const traceResponse = traceResponseOf(span);
  if (traceResponse) {
    headers.set(TRACERESPONSE_HEADER, traceResponse);
  }
  return Response.json(body, { status, headers });
}

/**
 * Runs `work` in a new active span of ours, in the house span shape: a failure
 * is logged and recorded (exception event, ERROR status, `error.type` = the
 * DataProcessorError's type or the error's name) and rethrown; the span always
 * ends. `work` gets the span to add attributes, and `onSpan` sees it at once
 * so the caller can report its trace id even when `work` throws.
 */
export function inSpan<T>(
  name: string,
  attributes: Attributes,
  work: (span: Span) => Promise<T>,
  onSpan?: (span: Span) => void,
): Promise<T> {
  return trace.getTracer(TRACER_NAME).startActiveSpan(name, { attributes }, async (span) => {
    onSpan?.(span);
    try {
      return await work(span);
    } catch (error) {
      const failure = error instanceof Error ? error : new Error(String(error));
      log.warn(`${name} failed`, { error: failure });
      span.recordException(failure);
      span.setStatus({ code: SpanStatusCode.ERROR, message: failure.message });
      span.setAttribute(ATTR_ERROR_TYPE, failure instanceof DataProcessorError ? failure.errorType : failure.name);
      throw error;
    } finally {
      span.end();
    }
  });
}

/**
 * A scenario route's answer: `work` in our span `spanName` (see inSpan),
 * then 200 `{ name, result, traceId }` with what it returned or, when the
 * data-processor failed, `{ error, traceId }` with `failureStatus(error)`
 * (502 unless told otherwise). Anything else is a bug of ours, rethrown for
 * Next.js to answer 500 and record on its span. `requestSpan` (Next's
 * `executing api route`) is what `traceresponse` names, ours when it is absent.
 */
export async function answerInSpan(
  requestSpan: Span | undefined,
  spanName: string,
  attributes: Attributes,
  name: string,
  work: (span: Span) => Promise<unknown>,
  failureStatus: (error: DataProcessorError) => number = () => 502,
): Promise<Response> {
  let span: Span | undefined;
  try {
    const result = await inSpan(spanName, attributes, work, (started) => (span = started));
    return answerJson(200, { name, result, traceId: traceIdOf(span) } satisfies ResultAnswer, requestSpan ?? span);
  } catch (error) {
    if (!(error instanceof DataProcessorError)) {
      throw error;
    }
    return answerJson(failureStatus(error), { error: error.message, traceId: traceIdOf(span) } satisfies FailureAnswer, requestSpan ?? span);
  }
}

/** `value` as an integer in [min, max]; `fallback` when absent; an error message when not. */
export function intParam(
  params: URLSearchParams,
  key: string,
  { min, max, fallback }: { min: number; max: number; fallback: number },
): { ok: true; value: number } | { ok: false; error: string } {
  const raw = params.get(key);
  if (raw === null || raw.trim() === '') {
    return { ok: true, value: fallback };
  }
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    return { ok: false, error: `${key} must be an integer from ${min} to ${max} (got "${raw}").` };
  }
  return { ok: true, value };
}

/**
 * A `GET …/{name}` route: the name checked by the one name rule first (400
 * with the reason, before any span or call), then `handle` with it, the
 * request and Next's `executing api route` span (undefined when tracing is
 * off), which the answer's `traceresponse` names.
 */
export function namedRoute(handle: (name: string, request: Request, requestSpan: Span | undefined) => Promise<Response>) {
  return async function GET(request: Request, { params }: { params: Promise<{ name: string }> }): Promise<Response> {
    const requestSpan = trace.getActiveSpan();
    const check = checkName((await params).name);
    if (!check.ok) {
      return answerJson(400, { error: check.error } satisfies FailureAnswer, requestSpan);
    }
    return handle(check.name, request, requestSpan);
  };
}
