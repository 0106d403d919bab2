import { addHistogram, quantileOf, type Histogram } from './histogram.js';
import type { MetricsQuery } from './metrics-params.js';
import { ROLLUP_PERIODS_S, type RollupPeriod } from './rollup.js';
import type { StoredRollup } from './rollup-table.js';

/**
 * Jaeger's metrics API answers (a MetricFamily of proto/metrics/openmetrics,
 * written by gogo's jsonpb) computed from the rollups the way Jaeger's
 * Prometheus reader computes them from span metrics
 * (internal/storage/metricstore/prometheus/metricstore/reader.go): one
 * point every `step` from endTs − lookback to endTs, each over the window of
 * `ratePer` before it. Calls are a rate per second, errors a fraction of the
 * calls, latencies a quantile in milliseconds.
 *
 * A window counts the rollup periods whose middle is inside it: as many
 * periods as fit in the window (at a whole number of periods), so a steady
 * rate reads as itself and every call is in as many points as the windows'
 * overlap says. Counting every period a window touches would count a
 * period too many (a minute's window at 10 s periods read 70 s of calls).
 * The period still going on is only as long as it has lasted, so its middle
 * is halfway to now: a window ending now counts the spans of the last
 * seconds, not only those of the periods that have ended. Values move in
 * steps of the period read (readPeriod).
 */

export type MetricType = { type: 'calls' } | { type: 'errors' } | { type: 'latencies'; quantile: number };

export interface MetricPoint {
  gaugeValue: { doubleValue: number };
  /** RFC 3339, as jsonpb writes a google.protobuf.Timestamp. */
  timestamp: string;
}

export interface Metric {
  labels: { name: string; value: string }[];
  metricPoints: MetricPoint[];
}

/** jsonpb leaves out an empty repeated field: a family without series has no `metrics`. */
export interface MetricFamily {
  name: string;
  type: 'GAUGE';
  help: string;
  metrics?: Metric[];
}

/** A series' sums over one window. */
interface Window {
  calls: number;
  errors: number;
  durations: Histogram;
}

/** Prometheus' metric names and Jaeger's help texts (reader.go). */
function describe(metric: MetricType, byOperation: boolean): { name: string; help: string } {
  const base =
    metric.type === 'calls'
      ? { name: 'service_call_rate', help: 'calls/sec, grouped by service' }
      : metric.type === 'errors'
        ? { name: 'service_error_rate', help: 'error rate, computed as a fraction of errors/sec over calls/sec, grouped by service' }
        : { name: 'service_latencies', help: `${metric.quantile.toFixed(2)}th quantile latency, grouped by service` };
  return byOperation ? { name: base.name.replace('service', 'service_operation'), help: `${base.help} & operation` } : base;
}

/** jsonpb's Timestamp: seconds, then 3, 6 or 9 fraction digits when there are any, Z. */
export function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

/**
 * The rollup period a query reads: the longest no longer than the spacing of
 * its points and its windows, so a point never mixes in a period that
 * belongs to its neighbour; the shortest when none is.
 */
export function readPeriod(q: MetricsQuery): RollupPeriod {
  const resolutionS = (q.lookbackMs === 0 ? q.ratePerMs : Math.min(q.stepMs, q.ratePerMs)) / 1000;
  let chosen: RollupPeriod = ROLLUP_PERIODS_S[0];
  for (const periodS of ROLLUP_PERIODS_S) if (periodS <= resolutionS) chosen = periodS;
  return chosen;
}

/** The periods a query reads: every one whose middle is inside a window of any of its points. */
export function periodRange(q: MetricsQuery, periodS: RollupPeriod): { fromS: number; toS: number } {
  const fromS = Math.floor((q.endMs - q.lookbackMs - q.ratePerMs) / 1000 / periodS) * periodS;
  return { fromS, toS: Math.floor(q.endMs / 1000) };
}

export function metricFamily(metric: MetricType, q: MetricsQuery, periodS: RollupPeriod, rows: readonly StoredRollup[]): MetricFamily {
  const kinds = new Set(q.spanKinds);
  // Each series' rows, in period order (rows arrive in period order per service).
  const series = new Map<string, { labels: Metric['labels']; rows: StoredRollup[] }>();
  for (const row of rows) {
    if (!kinds.has(row.kind)) continue;
    const key = q.groupByOperation ? `${row.service}\0${row.name}` : row.service;
    let s = series.get(key);
    if (!s) {
      const labels = [{ name: 'service_name', value: row.service }];
      if (q.groupByOperation) labels.push({ name: 'operation', value: row.name });
      series.set(key, (s = { labels, rows: [] }));
    }
    s.rows.push(row);
  }
  const timestamps = pointTimes(q).map(rfc3339);
  let metrics = [...series.values()]
    .map(({ labels, rows }) => ({ labels, metricPoints: points(metric, q, periodS, timestamps, rows), errors: rows.reduce((n, r) => n + r.errors, 0) }))
    .filter((m) => m.metricPoints.length > 0);
  // The error rate is errors over calls, and Prometheus only has an error series for spans that failed: with any
  // errors, Jaeger answers only the series that have them; with none, every series at 0.
  if (metric.type === 'errors' && metrics.some((m) => m.errors > 0)) metrics = metrics.filter((m) => m.errors > 0);
  metrics.sort((a, b) => compareLabels(a.labels, b.labels));
  const { name, help } = describe(metric, q.groupByOperation);
  // In jsonpb's field order: name, type, help, metrics.
  const family: MetricFamily = { name, type: 'GAUGE', help };
  if (metrics.length > 0) family.metrics = metrics.map(({ labels, metricPoints }) => ({ labels, metricPoints }));
  return family;
}

function compareLabels(a: Metric['labels'], b: Metric['labels']): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = (a[i] as { value: string }).value;
    const y = (b[i] as { value: string }).value;
    if (x !== y) return x < y ? -1 : 1;
  }
  return a.length - b.length;
}

/** When a query's points are: every `step` from endTs − lookback to endTs. */
function pointTimes(q: MetricsQuery): number[] {
  const out: number[] = [];
  for (let t = q.endMs - q.lookbackMs; t <= q.endMs; t += q.stepMs) out.push(t);
  return out;
}

/**
 * The series' points: the window slides over its rows (sorted by period),
 * adding the periods it reaches and taking out those it leaves, so a query
 * costs its points plus its rows, not their product. `timestamps` are
 * pointTimes(q), written once for every series.
 */
function points(metric: MetricType, q: MetricsQuery, periodS: RollupPeriod, timestamps: readonly string[], rows: readonly StoredRollup[]): MetricPoint[] {
  const sorted = [...rows].sort((a, b) => a.startS - b.startS);
  const middleMs = (row: StoredRollup) => (row.startS * 1000 + Math.min((row.startS + periodS) * 1000, q.nowMs)) / 2;
  const window: Window = { calls: 0, errors: 0, durations: new Map() };
  const out: MetricPoint[] = [];
  let enter = 0;
  let leave = 0;
  for (const [i, t] of pointTimes(q).entries()) {
    // The window is (t − ratePer, t].
    while (enter < sorted.length && middleMs(sorted[enter] as StoredRollup) <= t) move(window, sorted[enter++] as StoredRollup, 1);
    while (leave < enter && middleMs(sorted[leave] as StoredRollup) <= t - q.ratePerMs) move(window, sorted[leave++] as StoredRollup, -1);
    const value = valueOf(metric, q, window);
    if (value !== undefined) out.push({ gaugeValue: { doubleValue: value }, timestamp: timestamps[i] as string });
  }
  return out;
}

function move(window: Window, row: StoredRollup, sign: 1 | -1): void {
  window.calls += sign * row.calls;
  window.errors += sign * row.errors;
  addHistogram(window.durations, row.durations, sign);
}

/**
 * A point's value; undefined where Prometheus has none to give (no calls in
 * the window: a quantile or a fraction of nothing is NaN, which jsonpb would
 * write as the string "NaN").
 */
function valueOf(metric: MetricType, q: MetricsQuery, w: Window): number | undefined {
  if (metric.type === 'calls') return w.calls / (q.ratePerMs / 1000);
  if (w.calls === 0) return undefined;
  if (metric.type === 'errors') return w.errors / w.calls;
  return quantileOf(w.durations, metric.quantile) / 1000;
}
