import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { ATTR_ERROR_TYPE } from '@opentelemetry/semantic-conventions';
import { describe, expect, it } from 'vitest';
import { ATTR_USER_NAME } from '@/lib/shared/attributes';
import { SPAN_SCENARIO_CONTENTION } from '@/lib/shared/telemetry';
import { sendJson } from '@/test/http-stub';
import { callInServerSpan } from '@/test/route-call';
import { routeHarness } from '@/test/route-harness';
import { contentionRoute } from './contention';
import { describeSpans, waitForSpan } from '@tracelens/trace-testing/in-memory';


const ANSWER = { name: 'c1', result: 'C1', requestsAhead: 2, waitedMs: 203, workMs: 100 };

const harness = routeHarness(
  contentionRoute,
  (request, response) => {
    if (request.path === '/scenarios/contention/c1') {
      sendJson(response, 200, ANSWER);
    } else {
      sendJson(response, 503, { statusCode: 503, message: 'contention pool saturated' });
    }
  },
);

const call = (name: string) =>
  callInServerSpan(harness.tracing, 'GET /api/scenarios/contention/[name]', () =>
    harness.route(new Request(`http://web.test/api/scenarios/contention/${encodeURIComponent(name)}`), { params: Promise.resolve({ name }) }),
  );

describe('GET /api/scenarios/contention/{name}', () => {
  // GET /api/scenarios/contention/[name]   SERVER (played by the test)
  //   └─ scenario contention               user.name=c1
  //        └─ fetch GET <stub>/scenarios/contention/c1   CLIENT → stub gets traceparent
  it('answers the data-processor JSON inside a scenario contention span', async () => {
    const { response, body, serverSpan } = await call('c1');

    const { traceId, spanId } = serverSpan.spanContext();
    expect(response.status).toBe(200);
    expect(body).toEqual({ name: 'c1', result: ANSWER, traceId });
    expect(response.headers.get('traceresponse')).toBe(`00-${traceId}-${spanId}-01`);
    const span = await waitForSpan(harness.tracing, `"${SPAN_SCENARIO_CONTENTION}"`, (s) => s.name === SPAN_SCENARIO_CONTENTION);
    const fetchSpan = await waitForSpan(harness.tracing, 'the fetch span under it', (s) => s.kind === SpanKind.CLIENT);
    const spans = describeSpans(harness.tracing.exporter.getFinishedSpans());
    expect(span.parentSpanContext?.spanId, spans).toBe(spanId);
    expect(span.attributes[ATTR_USER_NAME]).toBe('c1');
    expect(fetchSpan.parentSpanContext?.spanId, spans).toBe(span.spanContext().spanId);
    expect(harness.dataProcessor.received[0]?.headers['traceparent']).toBe(`00-${traceId}-${fetchSpan.spanContext().spanId}-01`);
  });

  it('answers 502 and marks the span ERROR when the pool is saturated', async () => {
    const { response, body } = await call('c2');

    expect(response.status).toBe(502);
    expect(body['error']).toBe('data-processor answered 503: contention pool saturated');
    const span = await waitForSpan(harness.tracing, `"${SPAN_SCENARIO_CONTENTION}"`, (s) => s.name === SPAN_SCENARIO_CONTENTION);
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
    expect(span.attributes[ATTR_ERROR_TYPE]).toBe('503');
  });

  it('answers 400 for a name that breaks the rule, without calling the data-processor', async () => {
    const { response, body } = await call('..');

    expect(response.status).toBe(400);
    expect(body).toEqual({ error: 'Name cannot be "." or "..".' });
    expect(harness.dataProcessor.received).toEqual([]);
  });
});
