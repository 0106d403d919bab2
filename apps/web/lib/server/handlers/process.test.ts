import { context, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, TraceFlags, type Span } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { ATTR_ERROR_TYPE } from '@opentelemetry/semantic-conventions';
import { describeSpans, durationMs, waitForSpan, type InMemoryTracing } from '@tracelens/trace-testing/in-memory';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseWebEnv } from '@/env';
import { ATTR_USER_NAME } from '@/lib/shared/attributes';
import { SPAN_PROCESS_DATA_LOGIC } from '@/lib/shared/telemetry';
import { closedPortUrl, sendJson, startStubServer, type StubServer } from '@/test/http-stub';
import { startTestTracing } from '@/test/tracing';
import { processRoute } from './process';

type Route = ReturnType<typeof processRoute>;

/** Each name makes the stub data-processor behave one way. */
const STUB_ANSWERS = {
  alice: { name: 'alice', processed: 'ALICE' },
  charlie_error: { statusCode: 500, message: 'Simulated failure for charlie_error' },
} as const;

/**
 * The route's deadline for the data-processor: long enough that a first
 * connection on a busy machine never meets it, so only the test of a
 * data-processor that hangs sees it fire (with HANG_TIMEOUT_MS).
 */
const TIMEOUT_MS = 10_000;
const HANG_TIMEOUT_MS = 300;

let dataProcessor: StubServer;
let tracing: InMemoryTracing;

beforeAll(async () => {
  dataProcessor = await startStubServer((request, response) => {
    const name = decodeURIComponent(request.path.replace(/^\/data\//, ''));
    if (name === 'alice') {
      sendJson(response, 200, STUB_ANSWERS.alice);
    } else if (name === 'charlie_error') {
      sendJson(response, 500, STUB_ANSWERS.charlie_error);
    } else if (name === 'not-json') {
      response.writeHead(200, { 'content-type': 'text/plain' }).end('plain text');
    } else if (name === 'hangs') {
      // Never answers: the route's timeout must fire.
    } else {
      sendJson(response, 404, { statusCode: 404, message: `unknown ${name}` });
    }
  });
  tracing = startTestTracing({ dataProcessorUrl: dataProcessor.url, otlpTracesUrl: 'http://127.0.0.1:9/v1/traces' });
});

afterAll(async () => {
  await tracing.stop();
  await dataProcessor.close();
});

beforeEach(async () => {
  await tracing.reset();
  dataProcessor.reset();
});

/** The route as the app builds it from an environment with these variables. */
function routeWith(vars: Record<string, string>): Route {
  return processRoute(
    parseWebEnv({ DATA_PROCESSOR_URL: dataProcessor.url, DATA_PROCESSOR_TIMEOUT_MS: String(TIMEOUT_MS), TRACELENS_SIMULATED_WORK: 'off', ...vars }),
  );
}

interface Call {
  readonly response: Response;
  readonly body: Record<string, unknown>;
  /** The span playing Next's server span around the handler. */
  readonly serverSpan: Span;
}

/** Calls GET the way Next.js does: inside its server span, params as a promise. */
async function callGet(route: Route, name: string): Promise<Call> {
  return tracing.tracer.startActiveSpan('GET /api/process/[name]', { kind: SpanKind.SERVER }, async (serverSpan) => {
    try {
      const request = new Request(`http://web.test/api/process/${encodeURIComponent(name)}`);
      const response = await route(request, { params: Promise.resolve({ name }) });
      const body = (await response.json()) as Record<string, unknown>;
      return { response, body, serverSpan };
    } finally {
      serverSpan.end();
    }
  });
}

function logicSpans(): ReadableSpan[] {
  return tracing.exporter.getFinishedSpans().filter((span) => span.name === SPAN_PROCESS_DATA_LOGIC);
}

async function logicSpan(): Promise<ReadableSpan> {
  return waitForSpan(tracing, `"${SPAN_PROCESS_DATA_LOGIC}"`, (span) => span.name === SPAN_PROCESS_DATA_LOGIC);
}

describe('GET /api/process/{name}', () => {
  let route: Route;

  beforeAll(() => {
    route = routeWith({});
  });

  // Expected trace for a good name:
  //
  // GET /api/process/[name]                  SERVER (played by the test, as Next.js would)
  //   └─ process-data-logic                  user.name=alice
  //        └─ fetch GET <stub>/data/alice    CLIENT (@vercel/otel)
  //             └─ stub data-processor       receives traceparent = fetch span
  it('answers the data-processor result in one trace: server span → process-data-logic → fetch → data-processor', async () => {
    const { response, body, serverSpan } = await callGet(route, 'alice');

    expect(response.status).toBe(200);
    const { traceId, spanId } = serverSpan.spanContext();
    expect(body).toEqual({ name: 'alice', result: STUB_ANSWERS.alice, traceId });
    expect(response.headers.get('traceresponse')).toBe(`00-${traceId}-${spanId}-01`);

    const logic = await logicSpan();
    const fetchSpan = await waitForSpan(
      tracing,
      'the fetch client span under process-data-logic',
      (span) => span.kind === SpanKind.CLIENT && span.parentSpanContext?.spanId === logic.spanContext().spanId,
    );
    const spans = describeSpans(tracing.exporter.getFinishedSpans());
    expect(logic.parentSpanContext?.spanId, spans).toBe(spanId);
    expect(logic.spanContext().traceId, spans).toBe(traceId);
    expect(logic.attributes[ATTR_USER_NAME]).toBe('alice');
    expect(logic.status.code).toBe(SpanStatusCode.UNSET);
    expect(fetchSpan.name).toBe(`fetch GET ${dataProcessor.url}/data/alice`);

    expect(dataProcessor.received).toHaveLength(1);
    expect(dataProcessor.received[0]?.path).toBe('/data/alice');
    expect(dataProcessor.received[0]?.headers['traceparent']).toBe(`00-${traceId}-${fetchSpan.spanContext().spanId}-01`);
  });

  // A caller that chose not to sample (traceparent flags 00): nothing here
  // records, and the data-processor must still get that decision, not a
  // missing parent that would start a trace of its own.
  it('passes an unsampled parent on to the data-processor, flags 00, recording nothing', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const unsampled = trace.setSpanContext(ROOT_CONTEXT, { traceId, spanId: '00f067aa0ba902b7', traceFlags: TraceFlags.NONE, isRemote: true });
    const request = new Request('http://web.test/api/process/alice');
    const response = await context.with(unsampled, () => route(request, { params: Promise.resolve({ name: 'alice' }) }));

    expect(response.status).toBe(200);
    expect(tracing.exporter.getFinishedSpans()).toEqual([]);
    expect(dataProcessor.received[0]?.headers['traceparent']).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-00$`));
  });

  it('logs inside process-data-logic, so each record carries its trace and span ids', async () => {
    await callGet(route, 'alice');
    await callGet(route, 'charlie_error');

    const [ok, failed] = tracing.logExporter.getFinishedLogRecords();
    const logic = logicSpans();
    expect(logic).toHaveLength(2);
    expect(ok).toMatchObject({ body: 'data-processor answered', severityText: 'info', attributes: { name: 'alice' } });
    expect(ok?.spanContext).toMatchObject({ traceId: logic[0]?.spanContext().traceId, spanId: logic[0]?.spanContext().spanId });
    expect(failed).toMatchObject({
      body: 'data-processor call failed',
      severityText: 'warn',
      attributes: { name: 'charlie_error', 'exception.message': 'data-processor answered 500: Simulated failure for charlie_error' },
    });
    expect(failed?.spanContext).toMatchObject({ traceId: logic[1]?.spanContext().traceId, spanId: logic[1]?.spanContext().spanId });
  });

  it('spends about 50 ms of simulated work inside the span unless TRACELENS_SIMULATED_WORK=off', async () => {
    const withWork = routeWith({ TRACELENS_SIMULATED_WORK: 'on' });
    await callGet(withWork, 'alice');
    expect(durationMs(await logicSpan())).toBeGreaterThanOrEqual(45);
  });

  it('answers 502 with the data-processor error and marks process-data-logic ERROR when the data-processor fails', async () => {
    const { response, body, serverSpan } = await callGet(route, 'charlie_error');

    expect(response.status).toBe(502);
    expect(body).toEqual({
      error: 'data-processor answered 500: Simulated failure for charlie_error',
      traceId: serverSpan.spanContext().traceId,
    });
    expect(response.headers.get('traceresponse')).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);

    const logic = await logicSpan();
    expect(logic.status).toEqual({ code: SpanStatusCode.ERROR, message: body['error'] });
    expect(logic.attributes[ATTR_ERROR_TYPE]).toBe('500');
    expect(logic.events.map((event) => event.name)).toContain('exception');
    const fetchSpan = await waitForSpan(tracing, 'the fetch client span', (span) => span.kind === SpanKind.CLIENT);
    expect(fetchSpan.status.code, 'the 5xx fetch span is ERROR too').toBe(SpanStatusCode.ERROR);
  });

  it('answers 502 when the data-processor does not answer in time', async () => {
    const impatient = routeWith({ DATA_PROCESSOR_TIMEOUT_MS: String(HANG_TIMEOUT_MS) });
    const { response, body } = await callGet(impatient, 'hangs');

    expect(response.status).toBe(502);
    expect(body['error']).toBe(`data-processor did not answer within ${HANG_TIMEOUT_MS} ms`);
    const logic = await logicSpan();
    expect(logic.status.code).toBe(SpanStatusCode.ERROR);
    expect(logic.attributes[ATTR_ERROR_TYPE]).toBe('timeout');
  });

  it('answers 502 when the data-processor answers something other than JSON', async () => {
    const { response, body } = await callGet(route, 'not-json');

    expect(response.status).toBe(502);
    expect(body['error']).toBe('data-processor answered a body that is not JSON');
    expect((await logicSpan()).attributes[ATTR_ERROR_TYPE]).toBe('invalid_response');
  });

  // ECONNREFUSED, not the deadline's message: it did not wait for the deadline.
  it('answers 502 at once when nothing listens at DATA_PROCESSOR_URL', async () => {
    const unreachable = await closedPortUrl();
    const isolated = routeWith({ DATA_PROCESSOR_URL: unreachable });
    const { response, body, serverSpan } = await callGet(isolated, 'alice');

    expect(response.status).toBe(502);
    expect(body['error']).toMatch(new RegExp(`^data-processor unreachable at ${unreachable}: .*ECONNREFUSED`));
    expect(body['traceId']).toBe(serverSpan.spanContext().traceId);
    const logic = await logicSpan();
    expect(logic.status.code).toBe(SpanStatusCode.ERROR);
    expect(logic.attributes[ATTR_ERROR_TYPE]).toBe('ECONNREFUSED');
  });

  it.each([
    ['a name with a space', 'a b', 'Name may only contain letters, digits, "_", "-" and ".".'],
    ['a 65-character name', 'x'.repeat(65), 'Name must be at most 64 characters (got 65).'],
    ['a dot-segment', '..', 'Name cannot be "." or "..".'],
  ])('answers 400 for %s, before any span or request', async (_case, name, error) => {
    const { response, body } = await callGet(route, name);

    expect(response.status).toBe(400);
    expect(body).toEqual({ error });
    expect(logicSpans(), describeSpans(tracing.exporter.getFinishedSpans())).toEqual([]);
    expect(dataProcessor.received).toEqual([]);
  });
});
