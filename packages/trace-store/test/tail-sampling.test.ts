import { afterEach, describe, expect, it } from 'vitest';
import type { CollectorOptions, RunningCollector } from '../src/index.js';
import { getJson, memoryCollector, otlpRequest, otlpSpan, postJson, searchPath } from './helpers.js';

const START_NS = 1_700_000_000_000_000_000n;
const T0_US = 1_800_000_000_000_000; // the injected "now", microseconds
const WAIT_MS = 5000;

/** A trace of a root and one child; `durationMs` is the root's, `error` marks the child. */
function traceSpans(traceId: string, { durationMs = 100, error = false } = {}) {
  const ns = (ms: number) => String(START_NS + BigInt(ms) * 1_000_000n);
  return [
    otlpSpan({ traceId, spanId: 'a000000000000001', name: 'GET /orders', startTimeUnixNano: ns(0), endTimeUnixNano: ns(durationMs) }),
    otlpSpan({
      traceId,
      spanId: 'a000000000000002',
      parentSpanId: 'a000000000000001',
      name: 'db query',
      startTimeUnixNano: ns(1),
      endTimeUnixNano: ns(2),
      status: error ? { code: 2, message: 'deadlock' } : {},
    }),
  ];
}

const id = (n: number) => n.toString(16).padStart(32, 'f');
const ERROR_TRACE = id(1);
const SLOW_TRACE = id(2);
const FAST_TRACES = [id(3), id(4), id(5)];

describe('tail sampling', () => {
  let collector: RunningCollector;
  let now = T0_US;
  afterEach(() => collector.close());

  async function start(options: CollectorOptions) {
    now = T0_US;
    collector = await memoryCollector({ nowUs: () => now, ...options });
  }
  const stats = async () => (await getJson(collector, '/api/tail-sampling')).body;
  const storedTraceIds = async () =>
    ((await getJson(collector, searchPath({ service: 'shop', limit: '100' }))).body.data as { traceID: string }[]).map((t) => t.traceID).sort();
  /** error, slow and three healthy fast traces, each span in its own export. */
  async function exportTraces() {
    const traces = [traceSpans(ERROR_TRACE, { error: true }), traceSpans(SLOW_TRACE, { durationMs: 1500 }), ...FAST_TRACES.map((t) => traceSpans(t))];
    for (const spans of traces)
      for (const span of spans) expect((await postJson(collector, otlpRequest('shop', [span]))).status).toBe(200);
  }

  it('keeps error and slow traces, drops healthy fast ones at ratio 0', async () => {
    await start({ tailSampling: true, tailRatio: 0, tailWaitMs: WAIT_MS, tailLatencyMs: 1000 });
    await exportTraces();
    // Stored on arrival (acknowledged means stored); nothing decided before the wait.
    expect(await stats()).toEqual({ enabled: true, kept: { error: 0, latency: 0, ratio: 0 }, dropped: 0, droppedSpans: 0, pending: 5, decidedEarly: 0 });
    expect(await storedTraceIds()).toHaveLength(5);

    now += (WAIT_MS + 1) * 1000;
    await expect
      .poll(stats, { timeout: 5000 })
      .toEqual({ enabled: true, kept: { error: 1, latency: 1, ratio: 0 }, dropped: 3, droppedSpans: 6, pending: 0, decidedEarly: 0 });
    expect(await storedTraceIds()).toEqual([ERROR_TRACE, SLOW_TRACE].sort());
    expect(collector.store.spanCount()).toBe(4);
    for (const traceId of FAST_TRACES) expect((await getJson(collector, `/api/traces/${traceId}`)).status).toBe(404);
  });

  it('deletes a late span of a dropped trace instead of resurrecting it', async () => {
    await start({ tailSampling: true, tailRatio: 0, tailWaitMs: WAIT_MS });
    const [fast] = FAST_TRACES as [string];
    for (const span of traceSpans(fast)) await postJson(collector, otlpRequest('shop', [span]));
    now += (WAIT_MS + 1) * 1000;
    await expect.poll(stats, { timeout: 5000 }).toMatchObject({ dropped: 1, droppedSpans: 2, pending: 0 });

    // Past the interval at which emptied services are forgotten, too.
    now += 11e6;
    const late = otlpSpan({ traceId: fast, spanId: 'a000000000000003', parentSpanId: 'a000000000000001', name: 'late' });
    expect((await postJson(collector, otlpRequest('shop', [late]))).status).toBe(200);
    await expect.poll(stats, { timeout: 5000 }).toMatchObject({ dropped: 1, droppedSpans: 3, pending: 0 });
    expect((await getJson(collector, `/api/traces/${fast}`)).status).toBe(404);
    expect(collector.store.spanCount()).toBe(0);
    // And the service it was the only trace of is gone from the lists (Jaeger's `data: null` for none).
    expect((await getJson(collector, '/api/services')).body.data).toBeNull();
  });

  it('keeps every trace at ratio 1', async () => {
    await start({ tailSampling: true, tailRatio: 1, tailWaitMs: WAIT_MS });
    await exportTraces();
    now += (WAIT_MS + 1) * 1000;
    await expect
      .poll(stats, { timeout: 5000 })
      .toEqual({ enabled: true, kept: { error: 1, latency: 1, ratio: 3 }, dropped: 0, droppedSpans: 0, pending: 0, decidedEarly: 0 });
    expect(await storedTraceIds()).toHaveLength(5);
    expect(collector.store.spanCount()).toBe(10);
  });

  it('is off by default and then changes nothing', async () => {
    await start({});
    expect(await stats()).toEqual({ enabled: false });
    await exportTraces();
    now += 3600e6;
    // One more export after the clock moved: still nothing is deleted.
    await postJson(collector, otlpRequest('shop', [otlpSpan({ traceId: id(6) })]));
    expect(await storedTraceIds()).toHaveLength(6);
    expect(collector.store.spanCount()).toBe(11);
    expect(await stats()).toEqual({ enabled: false });
  });
});
