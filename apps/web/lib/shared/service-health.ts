/**
 * The `/services` page's model: per service and operation, request rate,
 * error rate and latency quantiles over a window, with a series of each
 * over time, from Jaeger's metrics API (the embedded store's rollups, or a
 * real Jaeger's Prometheus). Pure: the page asks the families, this turns
 * them into rows, sorted by what hurts most.
 */
import type { MetricFamily, MetricsQuery } from '@tracelens/jaeger-query/metrics';
import { labelOf } from '@tracelens/jaeger-query/metrics';
import { LOOKBACKS } from './trace-search';

/** The windows the page offers: Jaeger UI's lookbacks up to a day. */
export const HEALTH_WINDOWS = LOOKBACKS.filter((w) => ['5m', '15m', '1h', '6h', '24h'].includes(w.value));
export const DEFAULT_HEALTH_WINDOW = '15m';

/** Span kinds the page can show, as Jaeger names them; `server` is Jaeger's default (requests a service handled). */
export const HEALTH_KINDS = ['server', 'client', 'internal', 'producer', 'consumer'] as const;
export type HealthKind = (typeof HEALTH_KINDS)[number];

/** Points in each chart. */
const CHART_POINTS = 30;

export interface HealthForm {
  readonly window: string;
  readonly kind: HealthKind;
}

export function readHealthForm(params: Readonly<Record<string, string | string[] | undefined>>): HealthForm {
  const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? '';
  const window = HEALTH_WINDOWS.some((w) => w.value === first(params.window)) ? first(params.window) : DEFAULT_HEALTH_WINDOW;
  const kind = (HEALTH_KINDS as readonly string[]).includes(first(params.kind)) ? (first(params.kind) as HealthKind) : 'server';
  return { window, kind };
}

export function windowMs(form: HealthForm): number {
  return (HEALTH_WINDOWS.find((w) => w.value === form.window)?.us ?? 15 * 60e6) / 1000;
}

/**
 * The two queries the page asks each metric with: one point over the whole
 * window (its figures), and a chart of CHART_POINTS steps, each over its own
 * step (its values over time). The step never goes below the backend's
 * finest (`minStepMs`).
 */
export function healthQueries(services: readonly string[], form: HealthForm, nowMs: number, minStepMs: number): { totals: MetricsQuery; chart: MetricsQuery } {
  const span = windowMs(form);
  const step = Math.max(minStepMs, Math.ceil(span / CHART_POINTS / 1000) * 1000);
  const base = { services, groupByOperation: true, spanKinds: [form.kind], endMs: nowMs };
  return {
    totals: { ...base, lookbackMs: 0, stepMs: step, ratePerMs: span },
    chart: { ...base, lookbackMs: span - step, stepMs: step, ratePerMs: step },
  };
}

/** The families of one window, as the page asks them. */
export interface HealthFamilies {
  readonly calls: MetricFamily;
  readonly errors: MetricFamily;
  readonly p50: MetricFamily;
  readonly p95: MetricFamily;
  readonly p99: MetricFamily;
}

/** A chart: one value per step (null where there is none: no calls), and the steps' times. */
export interface Chart {
  readonly timesMs: readonly number[];
  readonly values: readonly (number | null)[];
}

export interface OperationHealth {
  readonly service: string;
  readonly operation: string;
  /** Requests per second over the window. */
  readonly rate: number;
  /** Fraction of the requests that failed (0 to 1). */
  readonly errorRate: number;
  /** Milliseconds; null without requests. */
  readonly p50: number | null;
  readonly p95: number | null;
  readonly p99: number | null;
  /** p95 latency × rate: the time per second the operation keeps its callers waiting. */
  readonly impact: number;
  readonly charts: { readonly rate: Chart; readonly errorRate: Chart; readonly p95: Chart };
}

const keyOf = (service: string, operation: string) => `${service}\0${operation}`;

/** Each series' values by time: the one point of a totals family, all points of a chart family. */
function byOperation(family: MetricFamily): Map<string, Map<number, number>> {
  const out = new Map<string, Map<number, number>>();
  for (const metric of family.metrics) {
    const points = new Map(metric.metricPoints.map((p) => [Date.parse(p.timestamp), p.gaugeValue.doubleValue]));
    out.set(keyOf(labelOf(metric, 'service_name'), labelOf(metric, 'operation')), points);
  }
  return out;
}

const only = (points: Map<number, number> | undefined): number | null => (points && points.size > 0 ? ([...points.values()].at(-1) ?? null) : null);

export function operationHealth(totals: HealthFamilies, charts: Pick<HealthFamilies, 'calls' | 'errors' | 'p95'>, chartTimesMs: readonly number[]): OperationHealth[] {
  const t = { calls: byOperation(totals.calls), errors: byOperation(totals.errors), p50: byOperation(totals.p50), p95: byOperation(totals.p95), p99: byOperation(totals.p99) };
  const c = { calls: byOperation(charts.calls), errors: byOperation(charts.errors), p95: byOperation(charts.p95) };
  const chart = (series: Map<number, number> | undefined): Chart => ({ timesMs: chartTimesMs, values: chartTimesMs.map((time) => series?.get(time) ?? null) });
  const rows: OperationHealth[] = [];
  for (const metric of totals.calls.metrics) {
    const service = labelOf(metric, 'service_name');
    const operation = labelOf(metric, 'operation');
    const key = keyOf(service, operation);
    const rate = only(t.calls.get(key)) ?? 0;
    if (rate === 0) continue;
    const p95 = only(t.p95.get(key));
    rows.push({
      service,
      operation,
      rate,
      // Jaeger answers only the series that failed when any did: the others failed never.
      errorRate: only(t.errors.get(key)) ?? 0,
      p50: only(t.p50.get(key)),
      p95,
      p99: only(t.p99.get(key)),
      impact: (p95 ?? 0) * rate,
      charts: { rate: chart(c.calls.get(key)), errorRate: chart(c.errors.get(key)), p95: chart(c.p95.get(key)) },
    });
  }
  return rows.sort((a, b) => b.impact - a.impact || a.service.localeCompare(b.service) || a.operation.localeCompare(b.operation));
}

/** The times of a chart query's points, as the backend computes them (endTs − lookback, every step). */
export function chartTimes(chart: MetricsQuery): number[] {
  const out: number[] = [];
  for (let t = chart.endMs - chart.lookbackMs; t <= chart.endMs; t += chart.stepMs) out.push(t);
  return out;
}

/**
 * Query string of `/traces` for an operation's traces in the window: the
 * slowest (about the slowest 5%: at least 97% of its p95, since the
 * backend's quantiles are estimates within a few percent) or the failing ones.
 */
export function tracesSearch(row: OperationHealth, form: HealthForm, which: 'slowest' | 'failing'): string {
  const params = new URLSearchParams({ service: row.service, operation: row.operation, lookback: form.window });
  if (which === 'slowest' && row.p95 !== null) params.set('minDuration', `${Math.floor(row.p95 * 0.97 * 1000)}us`);
  if (which === 'failing') params.set('tags', 'error=true');
  return params.toString();
}
