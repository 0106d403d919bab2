import { context, ProxyTracerProvider, SpanStatusCode, trace } from '@opentelemetry/api';
import { ATTR_ERROR_TYPE, ATTR_HTTP_RESPONSE_STATUS_CODE } from '@opentelemetry/semantic-conventions';
import { ATTR_SCENARIO_NAME } from './attributes';
import { withClickBaggage } from './browser-baggage';
import type { ScenarioId } from './scenarios';
import { SPAN_SCENARIO_CLICK, TRACER_NAME } from './telemetry';
import { readJsonObject } from './read-json-object';
import { traceIdOf } from './trace-context';

/** What one scenario request ends in, ready to show. `traceId` is null only when tracing is off. */
export type ScenarioOutcome =
  | {
      readonly kind: 'ok';
      readonly scenario: ScenarioId;
      readonly status: number;
      /** The answer's JSON object (without `traceId`), or null. */
      readonly body: Record<string, unknown> | null;
      readonly traceId: string | null;
      /** Click to answer, in milliseconds (the browser's view). */
      readonly durationMs: number;
    }
  | {
      readonly kind: 'error';
      readonly scenario: ScenarioId;
      /** HTTP status, or null for a network failure. */
      readonly status: number | null;
      readonly message: string;
      readonly body: Record<string, unknown> | null;
      readonly traceId: string | null;
      readonly durationMs: number;
    };

/**
 * Browser side of one scenario request: a `scenario click` span (attribute
 * `scenario.name`) around the traced `fetch(path)`, the same pattern as
 * `runTracedProcess` in traced-process.ts, generalised to any path, with the
 * same baggage. Its "wait for the SDK" hook is not used here: `whenTracerRegistered` waits for
 * the lazily loaded SDK by watching the global provider instead (it cannot
 * start the import early, as a process click does).
 *
 * Errors are recorded on the span and returned, never thrown. The span ends
 * right after `show` returns: `show` should render synchronously (`flushSync`).
 */
export async function runTracedScenario(
  scenario: ScenarioId,
  path: string,
  show: (outcome: ScenarioOutcome) => void = () => undefined,
): Promise<ScenarioOutcome> {
  await whenTracerRegistered();
  // Baggage (session.id, user.id) as for a process click, see traced-process.ts.
  const clickContext = withClickBaggage(context.active());
  const span = trace
    .getTracer(TRACER_NAME)
    .startSpan(SPAN_SCENARIO_CLICK, { attributes: { [ATTR_SCENARIO_NAME]: scenario } }, clickContext);
  const clickTraceId = traceIdOf(span);
  const started = performance.now();
  let outcome: ScenarioOutcome;
  try {
    // fetch() is *called* inside context.with: without zone.js the browser
    // loses the active span at the first await (see traced-process.ts).
    const response = await context.with(trace.setSpan(clickContext, span), () =>
      fetch(path, { headers: { accept: 'application/json' }, cache: 'no-store' }),
    );
    span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, response.status);
    const body = await readJsonObject(response);
    const traceId = typeof body?.['traceId'] === 'string' ? body['traceId'] : clickTraceId;
    const durationMs = performance.now() - started;
    if (response.status >= 400) {
      const message = typeof body?.['error'] === 'string' ? body['error'] : `HTTP ${response.status} ${response.statusText}`.trim();
      const failure = new Error(message);
      span.recordException(failure);
      span.setStatus({ code: SpanStatusCode.ERROR, message });
      span.setAttribute(ATTR_ERROR_TYPE, String(response.status));
      outcome = { kind: 'error', scenario, status: response.status, message, body, traceId, durationMs };
    } else {
      outcome = { kind: 'ok', scenario, status: response.status, body, traceId, durationMs };
    }
  } catch (error) {
    const failure = error instanceof Error ? error : new Error(String(error));
    span.recordException(failure);
    span.setStatus({ code: SpanStatusCode.ERROR, message: failure.message });
    span.setAttribute(ATTR_ERROR_TYPE, failure.name);
    outcome = {
      kind: 'error',
      scenario,
      status: null,
      message: `Network error: ${failure.message}`,
      body: null,
      traceId: clickTraceId,
      durationMs: performance.now() - started,
    };
  }
  try {
    show(outcome);
  } finally {
    span.end();
  }
  return outcome;
}

/** Longest a click waits for the browser SDK before it goes ahead untraced, in ms (as instrumentation-client.ts). */
const READY_TIMEOUT_MS = 3_000;
const READY_POLL_MS = 50;

/**
 * Resolves once a real tracer provider is registered (instrumentation-client.ts
 * loads the SDK after the load event, when the browser is idle), or after
 * `READY_TIMEOUT_MS`. At once when browser tracing is built out: the
 * build-time constant is inlined by next.config.ts, as in instrumentation-client.ts.
 */
async function whenTracerRegistered(): Promise<void> {
  if (process.env.TRACELENS_BROWSER_TRACING === 'off') {
    return;
  }
  const deadline = performance.now() + READY_TIMEOUT_MS;
  while (!tracerRegistered() && performance.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, READY_POLL_MS));
  }
}

function tracerRegistered(): boolean {
  const provider = trace.getTracerProvider();
  // The API's global is a proxy until an SDK registers its provider behind it.
  return !(provider instanceof ProxyTracerProvider) || provider.getDelegateTracer(TRACER_NAME) !== undefined;
}
