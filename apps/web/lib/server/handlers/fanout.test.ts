import { SpanStatusCode } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { beforeEach, describe, expect, it } from 'vitest';
import { ATTR_FANOUT_BATCH_SIZE, ATTR_FANOUT_CONCURRENCY, ATTR_FANOUT_FAILED, ATTR_USER_NAME } from '@/lib/shared/attributes';
import { SPAN_FAN_OUT, SPAN_PROCESS_ITEM } from '@/lib/shared/telemetry';
import { sendJson } from '@/test/http-stub';
import { callInServerSpan } from '@/test/route-call';
import { routeHarness } from '@/test/route-harness';
import { fanoutRoute } from './fanout';
import { describeSpans, waitForSpan } from '@tracelens/trace-testing/in-memory';


const CONCURRENCY = 3;
/** How long the stub holds each request, so calls overlap measurably. */
const HOLD_MS = 60;
/** How far apart two spans' clocks may be, in milliseconds (each is anchored to Date.now() on its own). */
const CLOCK_TOLERANCE_MS = 2;

let inFlight = 0;
let maxInFlight = 0;

// Names starting with "bad" fail with 500; every answer comes after HOLD_MS.
const harness = routeHarness(
  fanoutRoute,
  (request, response) => {
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    const name = decodeURIComponent(request.path.replace(/^\/data\//, ''));
    setTimeout(() => {
      inFlight -= 1;
      if (name.startsWith('bad')) {
        sendJson(response, 500, { statusCode: 500, message: `Simulated failure for ${name}` });
      } else {
        sendJson(response, 200, { name, processed: name.toUpperCase() });
      }
    }, HOLD_MS);
  },
  { FANOUT_CONCURRENCY: String(CONCURRENCY) },
);

beforeEach(() => {
  inFlight = 0;
  maxInFlight = 0;
});

const call = (names: string) =>
  callInServerSpan(harness.tracing, 'GET /api/scenarios/fanout', () =>
    harness.route(new Request(`http://web.test/api/scenarios/fanout?names=${encodeURIComponent(names)}`)),
  );

const itemSpans = (): ReadableSpan[] => harness.tracing.exporter.getFinishedSpans().filter((s) => s.name === SPAN_PROCESS_ITEM);
const startMs = (s: ReadableSpan): number => s.startTime[0] * 1_000 + s.startTime[1] / 1e6;
const endMs = (s: ReadableSpan): number => s.endTime[0] * 1_000 + s.endTime[1] / 1e6;

describe('GET /api/scenarios/fanout?names=…', () => {
  // GET /api/scenarios/fanout            SERVER (played by the test)
  //   └─ fan-out                         fanout.batch_size=7, fanout.concurrency=3
  //        ├─ process item user.name=n1  ┐
  //        ├─ process item user.name=n2  ├ overlapping, never more than 3 at once
  //        ├─ process item user.name=n3  ┘
  //        └─ … n4 … n7, each → fetch GET <stub>/data/{name}
  it('processes the batch in parallel child spans, never more than FANOUT_CONCURRENCY in flight', async () => {
    const names = ['n1', 'n2', 'n3', 'n4', 'n5', 'n6', 'n7'];
    const { response, body, serverSpan } = await call(names.join(','));

    expect(response.status).toBe(200);
    expect(body).toEqual({
      results: names.map((name) => ({ name, ok: true, result: { name, processed: name.toUpperCase() } })),
      traceId: serverSpan.spanContext().traceId,
    });
    expect(maxInFlight).toBe(CONCURRENCY);
    expect(harness.dataProcessor.received).toHaveLength(names.length);

    const fanOut = await waitForSpan(harness.tracing, `"${SPAN_FAN_OUT}"`, (s) => s.name === SPAN_FAN_OUT);
    expect(fanOut.parentSpanContext?.spanId).toBe(serverSpan.spanContext().spanId);
    expect(fanOut.attributes).toMatchObject({ [ATTR_FANOUT_BATCH_SIZE]: 7, [ATTR_FANOUT_CONCURRENCY]: CONCURRENCY, [ATTR_FANOUT_FAILED]: 0 });
    const items = itemSpans();
    const spans = describeSpans(harness.tracing.exporter.getFinishedSpans());
    expect(items.map((s) => s.attributes[ATTR_USER_NAME]).sort(), spans).toEqual(names);
    for (const item of items) {
      expect(item.parentSpanContext?.spanId, spans).toBe(fanOut.spanContext().spanId);
    }
    // Overlap: at the start of each item, how many items are open (bounded by the concurrency, and > 1 at some point).
    // The SDK anchors each span's clock to Date.now() when it starts, so times of different spans agree only to
    // about a millisecond: an item that ends just as the next one starts must not count as open.
    const openAt = items.map(
      (a) => items.filter((b) => startMs(b) <= startMs(a) && endMs(b) > startMs(a) + CLOCK_TOLERANCE_MS).length,
    );
    expect(Math.max(...openAt), spans).toBe(CONCURRENCY);
  });

  it('lists partial failures per item and answers 200', async () => {
    const { response, body } = await call('good,bad1');

    expect(response.status).toBe(200);
    expect(body['results']).toEqual([
      { name: 'good', ok: true, result: { name: 'good', processed: 'GOOD' } },
      { name: 'bad1', ok: false, error: 'data-processor answered 500: Simulated failure for bad1' },
    ]);
    const failed = itemSpans().find((s) => s.attributes[ATTR_USER_NAME] === 'bad1');
    expect(failed?.status.code).toBe(SpanStatusCode.ERROR);
    const fanOut = await waitForSpan(harness.tracing, `"${SPAN_FAN_OUT}"`, (s) => s.name === SPAN_FAN_OUT);
    expect(fanOut.status.code).toBe(SpanStatusCode.UNSET);
  });

  it('answers 502 and marks fan-out ERROR when every item fails', async () => {
    const { response, body } = await call('bad1,bad2');

    expect(response.status).toBe(502);
    expect(body['error']).toBe('all 2 items failed');
    expect(body['results']).toHaveLength(2);
    const fanOut = await waitForSpan(harness.tracing, `"${SPAN_FAN_OUT}"`, (s) => s.name === SPAN_FAN_OUT);
    expect(fanOut.status.code).toBe(SpanStatusCode.ERROR);
  });

  it.each([
    ['no names', '', 'names is required: a comma-separated list, e.g. ?names=alice,bob.'],
    ['21 names', Array.from({ length: 21 }, (_, i) => `n${i}`).join(','), 'At most 20 names per batch (got 21).'],
    ['a bad name', 'ok,a b', '"a b": Name may only contain letters, digits, "_", "-" and ".".'],
  ])('answers 400 for %s without calling the data-processor', async (_case, names, error) => {
    const { response, body } = await call(names);

    expect(response.status).toBe(400);
    expect(body).toEqual({ error });
    expect(harness.dataProcessor.received).toEqual([]);
  });
});
