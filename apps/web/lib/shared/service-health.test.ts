import { describe, expect, it } from 'vitest';
import type { MetricFamily } from '@tracelens/jaeger-query/metrics';
import { chartTimes, healthQueries, operationHealth, readHealthForm, tracesSearch } from './service-health';

const NOW = Date.UTC(2026, 11, 2, 12, 0, 0);
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

/** A family as Jaeger writes one grouped by operation: each series' points as [time, value]. */
function family(name: string, series: Record<string, [number, number][]>): MetricFamily {
  return {
    name,
    type: 'GAUGE',
    help: '',
    metrics: Object.entries(series).map(([key, points]) => {
      const [service, operation] = key.split(' ') as [string, string];
      return {
        labels: [
          { name: 'service_name', value: service },
          { name: 'operation', value: operation },
        ],
        metricPoints: points.map(([t, v]) => ({ gaugeValue: { doubleValue: v }, timestamp: iso(t) })),
      };
    }),
  };
}

describe('service health', () => {
  it('asks one point over the window and a chart of 30 steps, never finer than the backend', () => {
    const form = readHealthForm({ window: '15m', kind: 'server' });
    const { totals, chart } = healthQueries(['a', 'b'], form, NOW, 10_000);
    expect(totals).toMatchObject({ services: ['a', 'b'], groupByOperation: true, spanKinds: ['server'], endMs: NOW, lookbackMs: 0, ratePerMs: 900_000 });
    expect(chart).toMatchObject({ stepMs: 30_000, ratePerMs: 30_000, lookbackMs: 870_000 });
    expect(chartTimes(chart)).toHaveLength(30);
    expect(chartTimes(chart).at(-1)).toBe(NOW);
    expect(healthQueries(['a'], readHealthForm({ window: '5m' }), NOW, 60_000).chart.stepMs).toBe(60_000);
  });

  it('reads unknown form values as the defaults', () => {
    expect(readHealthForm({ window: '3y', kind: 'sideways' })).toEqual({ window: '15m', kind: 'server' });
    expect(readHealthForm({ window: ['1h', '5m'], kind: 'client' })).toEqual({ window: '1h', kind: 'client' });
  });

  it('joins the families per operation, sorted by impact, errors 0 where Jaeger has no error series', () => {
    const t = NOW;
    const rows = operationHealth(
      {
        calls: family('service_operation_call_rate', { 'shop GET/orders': [[t, 2]], 'shop GET/health': [[t, 50]], 'db SELECT': [[t, 0]] }),
        errors: family('service_operation_error_rate', { 'shop GET/orders': [[t, 0.25]] }),
        p50: family('service_operation_latencies', { 'shop GET/orders': [[t, 100]], 'shop GET/health': [[t, 1]] }),
        p95: family('service_operation_latencies', { 'shop GET/orders': [[t, 400]], 'shop GET/health': [[t, 2]] }),
        p99: family('service_operation_latencies', { 'shop GET/orders': [[t, 900]], 'shop GET/health': [[t, 3]] }),
      },
      {
        calls: family('service_operation_call_rate', { 'shop GET/orders': [[t - 1000, 1], [t, 3]] }),
        errors: family('service_operation_error_rate', {}),
        p95: family('service_operation_latencies', { 'shop GET/orders': [[t, 400]] }),
      },
      [t - 1000, t],
    );
    // 400 ms × 2/s = 800 beats 2 ms × 50/s = 100; an operation without calls in the window is left out.
    expect(rows.map((r) => [r.operation, r.rate, r.errorRate, r.p50, r.p95, r.p99, r.impact])).toEqual([
      ['GET/orders', 2, 0.25, 100, 400, 900, 800],
      ['GET/health', 50, 0, 1, 2, 3, 100],
    ]);
    expect(rows[0]?.charts.rate.values).toEqual([1, 3]);
    expect(rows[0]?.charts.p95.values).toEqual([null, 400]);
    expect(rows[1]?.charts.rate.values).toEqual([null, null]);
  });

  it('links to the slowest traces (at least 97% of p95) and the failing ones of the window', () => {
    const form = readHealthForm({ window: '1h' });
    const [row] = operationHealth(
      {
        calls: family('c', { 'shop GET/orders': [[NOW, 2]] }),
        errors: family('e', {}),
        p50: family('l', {}),
        p95: family('l', { 'shop GET/orders': [[NOW, 400]] }),
        p99: family('l', {}),
      },
      { calls: family('c', {}), errors: family('e', {}), p95: family('l', {}) },
      [],
    );
    expect(Object.fromEntries(new URLSearchParams(tracesSearch(row!, form, 'slowest')))).toEqual({
      service: 'shop',
      operation: 'GET/orders',
      lookback: '1h',
      minDuration: '388000us',
    });
    expect(new URLSearchParams(tracesSearch(row!, form, 'failing')).get('tags')).toBe('error=true');
  });
});
