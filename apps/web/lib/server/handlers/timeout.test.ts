import { SpanStatusCode } from '@opentelemetry/api';
import { ATTR_ERROR_TYPE } from '@opentelemetry/semantic-conventions';
import { describe, expect, it } from 'vitest';
import { ATTR_TIMEOUT_CUT_OFF, ATTR_TIMEOUT_DEADLINE_MS, ATTR_TIMEOUT_DELAY_MS } from '@/lib/shared/attributes';
import { SPAN_SCENARIO_TIMEOUT } from '@/lib/shared/telemetry';
import { sendJson } from '@/test/http-stub';
import { callInServerSpan } from '@/test/route-call';
import { routeHarness } from '@/test/route-harness';
import { timeoutRoute } from './timeout';
import { waitForSpan } from '@tracelens/trace-testing/in-memory';


/** TIMEOUT_DEADLINE_MS for these tests: short, so the never-answering stub costs little. */
const DEADLINE_MS = 200;

// `hangs` never answers; anything else answers at once.
const harness = routeHarness(
  timeoutRoute,
  (request, response) => {
    if (!request.path.startsWith('/scenarios/slow/hangs')) {
      sendJson(response, 200, { name: 'turtle', result: 'TURTLE', delayMs: 0 });
    }
  },
  { TIMEOUT_DEADLINE_MS: String(DEADLINE_MS) },
);

const call = (name: string, query = '') =>
  callInServerSpan(harness.tracing, 'GET /api/scenarios/timeout/[name]', () =>
    harness.route(new Request(`http://web.test/api/scenarios/timeout/${encodeURIComponent(name)}${query}`), { params: Promise.resolve({ name }) }),
  );

const timeoutSpan = () => waitForSpan(harness.tracing, `"${SPAN_SCENARIO_TIMEOUT}"`, (s) => s.name === SPAN_SCENARIO_TIMEOUT);

describe('GET /api/scenarios/timeout/{name}', () => {
  // GET /api/scenarios/timeout/[name]        SERVER (played by the test)
  //   └─ scenario timeout                    ERROR, timeout.cut_off=true, timeout.deadline_ms=200, exception
  //        └─ fetch GET <stub>/scenarios/slow/hangs?delayMs=2000   (aborted at the deadline)
  it('cuts the call off at TIMEOUT_DEADLINE_MS, answers 504 and marks the span', async () => {
    const started = performance.now();
    const { response, body, serverSpan } = await call('hangs');
    const elapsed = performance.now() - started;

    expect(response.status).toBe(504);
    expect(body).toEqual({
      error: `the data-processor did not answer within ${DEADLINE_MS} ms`,
      traceId: serverSpan.spanContext().traceId,
    });
    expect(response.headers.get('traceresponse')).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    expect(elapsed).toBeGreaterThanOrEqual(DEADLINE_MS - 5);
    expect(elapsed).toBeLessThan(DEADLINE_MS + 1_000);
    expect(harness.dataProcessor.received.map((r) => r.path)).toEqual(['/scenarios/slow/hangs?delayMs=2000']);

    const span = await timeoutSpan();
    expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: body['error'] });
    expect(span.attributes).toMatchObject({
      [ATTR_TIMEOUT_CUT_OFF]: true,
      [ATTR_TIMEOUT_DEADLINE_MS]: DEADLINE_MS,
      [ATTR_TIMEOUT_DELAY_MS]: 2_000,
      [ATTR_ERROR_TYPE]: 'timeout',
    });
    expect(span.events.map((e) => e.name)).toContain('exception');
  });

  it('takes deadlineMs and delayMs from the query', async () => {
    // A deadline well above the least allowed (50 ms): with 60 ms, a machine
    // busy with other suites once cut the call off before the stub had read
    // the request, and the path below came back empty.
    const { response } = await call('hangs', '?deadlineMs=500&delayMs=5000');

    expect(response.status).toBe(504);
    expect(harness.dataProcessor.received.map((r) => r.path)).toEqual(['/scenarios/slow/hangs?delayMs=5000']);
    expect((await timeoutSpan()).attributes[ATTR_TIMEOUT_DEADLINE_MS]).toBe(500);
  });

  it('answers 200 and leaves the span unmarked when the data-processor answers in time', async () => {
    const { response, body } = await call('turtle', '?delayMs=0');

    expect(response.status).toBe(200);
    expect(body['result']).toEqual({ name: 'turtle', result: 'TURTLE', delayMs: 0 });
    const span = await timeoutSpan();
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
    expect(span.attributes[ATTR_TIMEOUT_CUT_OFF]).toBe(false);
  });

  it.each([
    ['?deadlineMs=10', 'deadlineMs must be an integer from 50 to 10000 (got "10").'],
    ['?delayMs=x', 'delayMs must be an integer from 0 to 30000 (got "x").'],
  ])('answers 400 for %s', async (query, error) => {
    const { response, body } = await call('turtle', query);

    expect(response.status).toBe(400);
    expect(body).toEqual({ error });
    expect(harness.dataProcessor.received).toEqual([]);
  });
});
