import { SpanStatusCode } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { ATTR_FLAKY_FAILURE_RATE, ATTR_USER_NAME } from '@/lib/shared/attributes';
import { SPAN_SCENARIO_FLAKY } from '@/lib/shared/telemetry';
import { sendJson } from '@/test/http-stub';
import { callInServerSpan } from '@/test/route-call';
import { routeHarness } from '@/test/route-harness';
import { flakyRoute } from './flaky';
import { waitForSpan } from '@tracelens/trace-testing/in-memory';


// Plays the data-processor: failureRate=1 exhausts the retries, anything else succeeds.
const harness = routeHarness(
  flakyRoute,
  (request, response) => {
    const url = new URL(request.path, 'http://stub');
    if (url.searchParams.get('failureRate') === '1') {
      sendJson(response, 502, { statusCode: 502, message: 'inventory still failing after 4 attempts' });
    } else {
      sendJson(response, 200, { name: 'widget', quantity: 44, attempts: 2, backoffMs: 50 });
    }
  },
);

const call = (name: string, query = '') =>
  callInServerSpan(harness.tracing, 'GET /api/scenarios/flaky/[name]', () =>
    harness.route(new Request(`http://web.test/api/scenarios/flaky/${encodeURIComponent(name)}${query}`), { params: Promise.resolve({ name }) }),
  );

const flakySpan = () => waitForSpan(harness.tracing, `"${SPAN_SCENARIO_FLAKY}"`, (s) => s.name === SPAN_SCENARIO_FLAKY);

describe('GET /api/scenarios/flaky/{name}', () => {
  it('passes failureRate through and answers the data-processor JSON', async () => {
    const { response, body, serverSpan } = await call('widget', '?failureRate=0.5');

    expect(response.status).toBe(200);
    expect(body).toEqual({
      name: 'widget',
      result: { name: 'widget', quantity: 44, attempts: 2, backoffMs: 50 },
      traceId: serverSpan.spanContext().traceId,
    });
    expect(harness.dataProcessor.received.map((r) => r.path)).toEqual(['/scenarios/flaky/widget?failureRate=0.5']);
    const span = await flakySpan();
    expect(span.parentSpanContext?.spanId).toBe(serverSpan.spanContext().spanId);
    expect(span.attributes).toMatchObject({ [ATTR_USER_NAME]: 'widget', [ATTR_FLAKY_FAILURE_RATE]: 0.5 });
  });

  it('leaves failureRate to the data-processor when absent', async () => {
    await call('widget');
    expect(harness.dataProcessor.received.map((r) => r.path)).toEqual(['/scenarios/flaky/widget']);
    expect((await flakySpan()).attributes[ATTR_FLAKY_FAILURE_RATE]).toBeUndefined();
  });

  it('answers 502 with the data-processor message when every attempt failed', async () => {
    const { response, body, serverSpan } = await call('widget', '?failureRate=1');

    expect(response.status).toBe(502);
    expect(body).toEqual({
      error: 'data-processor answered 502: inventory still failing after 4 attempts',
      traceId: serverSpan.spanContext().traceId,
    });
    expect((await flakySpan()).status.code).toBe(SpanStatusCode.ERROR);
  });

  it.each(['1.5', '-0.1', 'abc'])('answers 400 for failureRate=%s without calling the data-processor', async (rate) => {
    const { response, body } = await call('widget', `?failureRate=${rate}`);

    expect(response.status).toBe(400);
    expect(body['error']).toBe(`failureRate must be a number from 0 to 1 (got "${rate}").`);
    expect(harness.dataProcessor.received).toEqual([]);
  });

  it('answers 400 for a name that breaks the rule', async () => {
    const { response } = await call('a b');
    expect(response.status).toBe(400);
  });
});
