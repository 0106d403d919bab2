import { context, SpanStatusCode, trace, type Attributes } from '@opentelemetry/api';
import { ATTR_ERROR_TYPE, ATTR_HTTP_RESPONSE_STATUS_CODE } from '@opentelemetry/semantic-conventions';
import type * as z from 'zod/mini';
import { withClickBaggage } from './browser-baggage';
import { readJsonObject } from './read-json-object';
import { browserTracingReady } from './tracing-ready';
import { failureAnswer, fanoutAnswer, resultAnswer, type FanoutAnswer, type ResultAnswer } from '@/lib/shared/api';
import { ATTR_SCENARIO_NAME, ATTR_USER_NAME } from '@/lib/shared/attributes';
import { processPath } from '@/lib/shared/routes';
import type { ScenarioId } from '@/lib/shared/scenarios';
import { SPAN_PROCESS_CLICK, SPAN_SCENARIO_CLICK, TRACER_NAME } from '@/lib/shared/telemetry';
import { traceIdOf } from '@/lib/shared/trace-context';

/** What one traced request ends in, ready to show. `traceId` is null only when tracing is off. */
export type RequestOutcome<T> =
  | {
      readonly kind: 'ok';
      readonly status: number;
      /** The answer, as the API contract (lib/shared/api.ts) describes it. */
      readonly answer: T;
      readonly traceId: string | null;
      /** Click to answer, in milliseconds (the browser's view). */
      readonly durationMs: number;
    }
  | {
      readonly kind: 'error';
      /** HTTP status, or null for a network failure. */
      readonly status: number | null;
      readonly message: string;
      /** The error answer's JSON object, or null (a network failure, an HTML error page). */
      readonly body: Record<string, unknown> | null;
      readonly traceId: string | null;
      readonly durationMs: number;
    };

export interface TracedRequest<T> {
  /** The click span's name (`process click`, `scenario click`). */
  readonly spanName: string;
  readonly attributes: Attributes;
  /** Same-origin path of the frontend-api to GET. */
  readonly path: string;
  /** The contract of a 2xx answer. */
  readonly answer: z.ZodMiniType<T>;
}

/**
 * Browser side of one click: a span of our own (with the tab's `session.id`
 * and `user.id` in its context's baggage, lib/browser/browser-baggage.ts) that
 * parents the traced `fetch(path)`. Errors (HTTP >= 400, a network failure,
 * an answer that breaks the contract) are recorded on the span (exception
 * event, ERROR status, `error.type`) and turned into an outcome, never
 * thrown. The span ends right after `show` returns, so `show` should put the
 * outcome on screen synchronously (the panels use `flushSync`).
 */
export async function runTracedRequest<T>(request: TracedRequest<T>, show: (outcome: RequestOutcome<T>) => void): Promise<RequestOutcome<T>> {
  // Already resolved unless the click came before the SDK had loaded.
  await browserTracingReady();
  // Parent of the click span (the baggage span processor copies its entries
  // onto it) and, with the span set, of the fetch, whose `baggage` header it becomes.
  const clickContext = withClickBaggage(context.active());
  const span = trace.getTracer(TRACER_NAME).startSpan(request.spanName, { attributes: request.attributes }, clickContext);
  const clickTraceId = traceIdOf(span);
  const started = performance.now();
  let outcome: RequestOutcome<T>;
  const fail = (failure: Error, errorType: string, status: number | null, message: string, body: Record<string, unknown> | null, traceId: string | null) => {
    span.recordException(failure);
    span.setStatus({ code: SpanStatusCode.ERROR, message: failure.message });
    span.setAttribute(ATTR_ERROR_TYPE, errorType);
    return { kind: 'error', status, message, body, traceId, durationMs: performance.now() - started } as const;
  };
  try {
    // The browser has no zone.js: StackContextManager forgets the active span at
    // the first native `await`. So fetch() is *called* synchronously inside
    // context.with, where the fetch instrumentation reads its parent and
    // injects `traceparent` and `baggage`; only the returned promise is awaited outside.
    const response = await context.with(trace.setSpan(clickContext, span), () =>
      fetch(request.path, { headers: { accept: 'application/json' }, cache: 'no-store' }),
    );
    span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, response.status);
    const body = await readJsonObject(response);
    // The server's trace id is the one its spans carry; it equals ours when
    // propagation works, and shows the break when it does not.
    const traceId = typeof body?.['traceId'] === 'string' ? body['traceId'] : clickTraceId;
    if (response.status >= 400) {
      const failure = failureAnswer.safeParse(body);
      const message = failure.success ? failure.data.error : `HTTP ${response.status} ${response.statusText}`.trim();
      outcome = fail(new Error(message), String(response.status), response.status, message, body, traceId);
    } else {
      const answer = request.answer.safeParse(body);
      if (answer.success) {
        outcome = { kind: 'ok', status: response.status, answer: answer.data, traceId, durationMs: performance.now() - started };
      } else {
        const message = `the frontend-api answered ${response.status} with something this page does not understand`;
        outcome = fail(new Error(message), 'invalid_response', response.status, message, body, traceId);
      }
    }
  } catch (error) {
    const failure = error instanceof Error ? error : new Error(String(error));
    outcome = fail(failure, failure.name, null, `Network error: ${failure.message}`, null, clickTraceId);
  }
  try {
    show(outcome);
  } finally {
    span.end();
  }
  return outcome;
}

/** What one "Process" click ends in, ready to show. */
export type ProcessOutcome =
  | { readonly kind: 'ok'; readonly name: string; readonly result: unknown; readonly traceId: string | null }
  | { readonly kind: 'error'; readonly name: string; readonly message: string; readonly traceId: string | null };

/** One "Process" click: a `process click` span (attribute `user.name`) around `GET /api/process/{name}`. */
export async function runTracedProcess(name: string, show: (outcome: ProcessOutcome) => void): Promise<void> {
  await runTracedRequest<ResultAnswer>(
    { spanName: SPAN_PROCESS_CLICK, attributes: { [ATTR_USER_NAME]: name }, path: processPath(name), answer: resultAnswer },
    (outcome) =>
      show(
        outcome.kind === 'ok'
          ? { kind: 'ok', name, result: outcome.answer.result, traceId: outcome.traceId }
          : { kind: 'error', name, message: outcome.message, traceId: outcome.traceId },
      ),
  );
}

/** What one scenario request ends in: the fan-out's answer, or another scenario's. */
export type ScenarioOutcome = RequestOutcome<ResultAnswer | FanoutAnswer> & { readonly scenario: ScenarioId };

/** One scenario request: a `scenario click` span (attribute `scenario.name`) around `GET path`. */
export async function runTracedScenario(
  scenario: ScenarioId,
  path: string,
  show: (outcome: ScenarioOutcome) => void = () => undefined,
): Promise<ScenarioOutcome> {
  const answer: z.ZodMiniType<ResultAnswer | FanoutAnswer> = scenario === 'fanout' ? fanoutAnswer : resultAnswer;
  const outcome = await runTracedRequest({ spanName: SPAN_SCENARIO_CLICK, attributes: { [ATTR_SCENARIO_NAME]: scenario }, path, answer }, (done) =>
    show({ ...done, scenario }),
  );
  return { ...outcome, scenario };
}
