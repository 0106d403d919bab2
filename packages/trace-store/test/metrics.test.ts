import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CollectorOptions, RunningCollector } from '../src/index.js';
import { getJson, memoryCollector, otlpRequest, otlpSpan, postJson } from './helpers.js';

const fixture = (name: string) => JSON.parse(fs.readFileSync(path.join(import.meta.dirname, 'fixtures', 'metrics', name), 'utf8'));

/** 2023-11-14T22:13:20Z, the start of a 10 s rollup period. */
const T0_MS = 1_700_000_000_000;
const ns = (ms: number) => String(BigInt(T0_MS) * 1_000_000n + BigInt(Math.round(ms * 1e6)));
const traceId = (n: number) => n.toString(16).padStart(32, '0');

/**
 * In the period from T0: `GET /orders` (server) 100 times, taking 1 to 100
 * ms, the 10 longest failing; `GET /health` (server) 20 times, 5 ms each;
 * `SELECT` (client) 30 times, 2 ms each. Each trace in its own export.
 */
async function exportShop(collector: RunningCollector) {
  const spans: { name: string; kind: number; ms: number; error: boolean }[] = [
    ...Array.from({ length: 100 }, (_, i) => ({ name: 'GET /orders', kind: 2, ms: i + 1, error: i >= 90 })),
    ...Array.from({ length: 20 }, () => ({ name: 'GET /health', kind: 2, ms: 5, error: false })),
    ...Array.from({ length: 30 }, () => ({ name: 'SELECT', kind: 3, ms: 2, error: false })),
  ];
  for (const [i, s] of spans.entries()) {
    const span = otlpSpan({
      traceId: traceId(i + 1),
      name: s.name,
      kind: s.kind,
      startTimeUnixNano: ns(i * 10),
      endTimeUnixNano: ns(i * 10 + s.ms),
      status: s.error ? { code: 2, message: 'out of stock' } : {},
    });
    expect((await postJson(collector, otlpRequest('shop', [span]))).status).toBe(200);
  }
}

/** A metrics query over one point at T0 + 10 s looking back over 60 s. */
function query(type: string, params: Record<string, string | string[]> = {}): string {
  const search = new URLSearchParams({ service: 'shop', endTs: String(T0_MS + 10_000), lookback: '0', step: '1000', ratePer: '60000' });
  for (const [k, v] of Object.entries(params)) {
    search.delete(k);
    for (const value of [v].flat()) search.append(k, value);
  }
  return `/api/metrics/${type}?${search}`;
}

interface Family {
  name: string;
  help: string;
  metrics?: { labels: { name: string; value: string }[]; metricPoints: { gaugeValue: { doubleValue: number }; timestamp: string }[] }[];
}

/** Each series' label values and the value of its single point. */
function values(family: Family): Record<string, number> {
  return Object.fromEntries(
    (family.metrics ?? []).map((m) => {
      expect(m.metricPoints).toHaveLength(1);
      return [m.labels.map((l) => l.value).join(' '), m.metricPoints[0]?.gaugeValue.doubleValue as number];
    }),
  );
}

/** The JSON types of a value, keys and all, arrays by their first element: what "the same shape" means here. */
function shapeOf(value: unknown): unknown {
  if (Array.isArray(value)) return [value.length > 0 ? shapeOf(value[0]) : 'empty'];
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shapeOf(v)]));
  return typeof value;
}

describe('metrics API', () => {
  let collector: RunningCollector;
  afterEach(() => collector.close());
  async function start(options: CollectorOptions = {}) {
    collector = await memoryCollector({ nowUs: () => (T0_MS + 3_600_000) * 1000, ...options });
  }

  it('answers calls in the shape of Jaeger documented answer, per service and per operation', async () => {
    await start();
    await exportShop(collector);
    const byService = (await getJson<Family>(collector, query('calls'))).body;
    expect(shapeOf(byService)).toEqual(shapeOf(fixture('jaeger-call-rate.json')));
    expect(byService.name).toBe('service_call_rate');
    // 120 server spans in a 60 s window: 2 calls per second.
    expect(values(byService)).toEqual({ shop: 2 });
    expect(byService.metrics?.[0]?.metricPoints[0]?.timestamp).toBe('2023-11-14T22:13:30Z');

    const byOperation = (await getJson<Family>(collector, query('calls', { groupByOperation: 'true' }))).body;
    expect(byOperation).toMatchObject({ name: 'service_operation_call_rate', help: 'calls/sec, grouped by service & operation' });
    expect(byOperation.metrics?.[0]?.labels).toEqual([
      { name: 'service_name', value: 'shop' },
      { name: 'operation', value: 'GET /health' },
    ]);
    expect(values(byOperation)).toEqual({ 'shop GET /health': 20 / 60, 'shop GET /orders': 100 / 60 });
    // spanKind chooses the spans: the client calls only.
    expect(values((await getJson<Family>(collector, query('calls', { groupByOperation: 'true', spanKind: 'client' }))).body)).toEqual({
      'shop SELECT': 30 / 60,
    });
    expect(values((await getJson<Family>(collector, query('calls', { spanKind: ['server', 'client'] }))).body)).toEqual({ shop: 150 / 60 });
  });

  it('answers latency quantiles in milliseconds within 2.5% of the exact ones', async () => {
    await start();
    await exportShop(collector);
    const p = async (quantile: string) =>
      values((await getJson<Family>(collector, query('latencies', { quantile, groupByOperation: 'true' }))).body)['shop GET /orders'] as number;
    // GET /orders took 1, 2, ... 100 ms: its p50 is 50 ms, p95 95 ms, p99 99 ms.
    for (const [q, exact] of [['0.5', 50], ['0.95', 95], ['0.99', 99]] as const) {
      expect(Math.abs((await p(q)) - exact) / exact).toBeLessThan(0.025);
    }
    const family = (await getJson<Family>(collector, query('latencies', { quantile: '0.95' }))).body;
    expect(family).toMatchObject({ name: 'service_latencies', help: '0.95th quantile latency, grouped by service' });
  });

  it('answers error rates as fractions, and only the series that failed, as Jaeger does', async () => {
    await start();
    await exportShop(collector);
    const family = (await getJson<Family>(collector, query('errors', { groupByOperation: 'true' }))).body;
    expect(family).toMatchObject({
      name: 'service_operation_error_rate',
      help: 'error rate, computed as a fraction of errors/sec over calls/sec, grouped by service & operation',
    });
    expect(values(family)).toEqual({ 'shop GET /orders': 0.1 });
    expect(values((await getJson<Family>(collector, query('errors'))).body)).toEqual({ shop: 10 / 120 });
    // No errors at all: every series, at 0.
    expect(values((await getJson<Family>(collector, query('errors', { spanKind: 'client' }))).body)).toEqual({ shop: 0 });
  });

  it('slides the window over time: a point per step, each over the ratePer before it', async () => {
    await start();
    await exportShop(collector);
    // Points from T0 − 20 s to T0 + 40 s every 10 s, each over the 20 s before it (120 calls: 6 per second). A window
    // counts the periods whose middle is inside it: the period from T0 (middle T0 + 5 s) is in the windows ending at
    // T0 + 10 s and T0 + 20 s, and no other, so the 120 calls are in two points (2 × 6/s × 10 s apart = 120).
    const family = (await getJson<Family>(collector, query('calls', { endTs: String(T0_MS + 40_000), lookback: '60000', step: '10000', ratePer: '20000' })))
      .body;
    const points = family.metrics?.[0]?.metricPoints.map((p) => [p.timestamp, p.gaugeValue.doubleValue]);
    expect(points).toEqual([
      ['2023-11-14T22:13:00Z', 0],
      ['2023-11-14T22:13:10Z', 0],
      ['2023-11-14T22:13:20Z', 0],
      ['2023-11-14T22:13:30Z', 6],
      ['2023-11-14T22:13:40Z', 6],
      ['2023-11-14T22:13:50Z', 0],
      ['2023-11-14T22:14:00Z', 0],
    ]);
  });

  it('reads a steady rate as itself, from the minute rollups and from the 10 s ones', async () => {
    await start();
    // Two calls a second for three minutes from T0 − 20 s (a whole minute), one export.
    const spans = Array.from({ length: 360 }, (_, i) =>
      otlpSpan({ traceId: traceId(i + 1), name: 'GET /orders', kind: 2, startTimeUnixNano: ns(i * 500 - 20_000), endTimeUnixNano: ns(i * 500 - 20_000 + 1) }),
    );
    expect((await postJson(collector, otlpRequest('shop', spans))).status).toBe(200);
    const rates = async (params: Record<string, string>) =>
      (await getJson<Family>(collector, query('calls', { endTs: String(T0_MS + 160_000), lookback: '120000', ...params }))).body.metrics?.[0]?.metricPoints.map(
        (p) => p.gaugeValue.doubleValue,
      );
    // Minute windows, a point a minute (minute rollups); 10 s windows every 10 s, and minute windows every 10 s (10 s rollups).
    expect(await rates({ step: '60000', ratePer: '60000' })).toEqual([2, 2, 2]);
    expect(await rates({ step: '10000', ratePer: '10000' })).toEqual(Array(13).fill(2));
    expect(await rates({ step: '10000', ratePer: '60000' })).toEqual(Array(13).fill(2));
  });

  it('counts the spans of the period still going on in a window that ends now', async () => {
    // Now is 20 s into a minute (T0 + 180 s), and there were two calls a second in those 20 s.
    collector = await memoryCollector({ nowUs: () => (T0_MS + 180_000) * 1000 });
    const spans = Array.from({ length: 40 }, (_, i) =>
      otlpSpan({ traceId: traceId(i + 1), name: 'GET /orders', kind: 2, startTimeUnixNano: ns(160_000 + i * 500), endTimeUnixNano: ns(160_000 + i * 500 + 1) }),
    );
    expect((await postJson(collector, otlpRequest('shop', spans))).status).toBe(200);
    const now = { endTs: '', lookback: '0' };
    // The minute's window holds the 40 calls (from the minute rollups); the last 10 s holds 20 (from the 10 s ones).
    expect(values((await getJson<Family>(collector, query('calls', { ...now, ratePer: '60000' }))).body)).toEqual({ shop: 40 / 60 });
    expect(values((await getJson<Family>(collector, query('calls', { ...now, ratePer: '10000' }))).body)).toEqual({ shop: 2 });
  });

  it('answers a service without spans with a family without metrics, and minstep with the rollup period', async () => {
    await start();
    expect((await getJson(collector, query('calls', { service: 'nobody' }))).body).toEqual({
      name: 'service_call_rate',
      type: 'GAUGE',
      help: 'calls/sec, grouped by service',
    });
    const minStep = await getJson(collector, '/api/metrics/minstep');
    expect(shapeOf(minStep.body)).toEqual(shapeOf(fixture('jaeger-minstep.json')));
    expect(minStep.body.data).toBe(10_000);
  });

  it('answers bad parameters with the status and text the pinned Jaeger answers', async () => {
    await start();
    const recorded = fixture('jaeger-2.12-answers.json') as { path: string; status: number; body: string }[];
    const refusals = recorded.filter((r) => r.status === 400);
    expect(refusals.length).toBeGreaterThan(10);
    for (const r of refusals) {
      const res = await fetch(`${collector.queryUrl}${r.path}`);
      expect({ path: r.path, status: res.status, body: await res.text() }).toEqual(r);
    }
    // What Jaeger answers 501 (no metrics backend), the store answers.
    for (const r of recorded.filter((a) => a.status === 501)) expect((await fetch(`${collector.queryUrl}${r.path}`)).status).toBe(200);
  });

  it('refuses what Prometheus would refuse behind Jaeger, naming the parameter', async () => {
    await start();
    for (const [params, message] of [
      [{ step: '0' }, "'step' must be a positive number of milliseconds, got 0"],
      [{ lookback: '-1' }, "'lookback' must not be negative, got -1"],
      [{ ratePer: '0' }, "'ratePer' must be a positive number of milliseconds, got 0"],
      [{ lookback: '3600000', step: '100' }, "exceeded maximum resolution of 11,000 points per timeseries; try a larger 'step' (at least 328)"],
    ] as const) {
      const { status, body } = await getJson(collector, query('calls', params));
      expect({ status, message: body.errors?.[0]?.msg }).toEqual({ status: 400, message });
    }
    const { status, body } = await getJson(collector, query('latencies', { quantile: '1.5' }));
    expect({ status, message: body.errors?.[0]?.msg }).toEqual({ status: 400, message: "'quantile' must be greater than 0 and at most 1, got 1.5" });
  });

  // One point over the minute before T0 + 10 s and one over the 10 s before it: read from the minute rollups and from the 10 s ones.
  const MINUTE = { ratePer: '60000' };
  const TEN_SECONDS = { ratePer: '10000' };

  it('takes the traces the tail sampler drops out of the metrics, at every rollup period', async () => {
    let now = (T0_MS + 3_600_000) * 1000;
    collector = await memoryCollector({ nowUs: () => now, tailSampling: true, tailRatio: 0, tailWaitMs: 1000, tailLatencyMs: 60_000 });
    await exportShop(collector);
    now += 2e6;
    // The failing traces are kept, the rest dropped: only 10 calls, all failed, remain.
    await expect.poll(async () => values((await getJson<Family>(collector, query('calls', MINUTE))).body), { timeout: 5000 }).toEqual({ shop: 10 / 60 });
    expect(values((await getJson<Family>(collector, query('calls', TEN_SECONDS))).body)).toEqual({ shop: 10 / 10 });
    for (const period of [MINUTE, TEN_SECONDS]) {
      expect(values((await getJson<Family>(collector, query('errors', period))).body)).toEqual({ shop: 1 });
      const p50 = values((await getJson<Family>(collector, query('latencies', { quantile: '0.5', ...period }))).body).shop as number;
      expect(Math.abs(p50 - 95.5) / 95.5).toBeLessThan(0.025);
    }
  });

  it('forgets the rollups of periods before every stored span when retention deletes them, at every rollup period', async () => {
    let now = (T0_MS + 3_600_000) * 1000;
    collector = await memoryCollector({ nowUs: () => now, retentionMs: 60_000 });
    await exportShop(collector);
    expect(values((await getJson<Family>(collector, query('calls', MINUTE))).body)).toEqual({ shop: 2 });
    expect(values((await getJson<Family>(collector, query('calls', TEN_SECONDS))).body)).toEqual({ shop: 12 });
    now += 120e6;
    // Retention runs on a timer; one more export starts nothing, so wait for the spans to go.
    await expect.poll(() => collector.store.spanCount(), { timeout: 10_000 }).toBe(0);
    for (const period of [MINUTE, TEN_SECONDS]) expect((await getJson<Family>(collector, query('calls', period))).body.metrics).toBeUndefined();
  });
});
