import type { Metadata } from 'next';
import Link from 'next/link';
import { JaegerQueryError, type JaegerQueryClient } from '@tracelens/jaeger-query';
import type { MetricFamily, MetricsQuery } from '@tracelens/jaeger-query/metrics';
import { webEnv } from '@/env';
import { TRACES_PATH } from '@/lib/shared/routes';
import { traceStore } from '@/lib/server/trace-store';
import {
  chartTimes,
  HEALTH_KINDS,
  HEALTH_WINDOWS,
  healthQueries,
  operationHealth,
  readHealthForm,
  tracesSearch,
  type HealthForm,
  type OperationHealth,
} from '@/lib/shared/service-health';
import { Sparkline } from './sparkline';
import styles from './services.module.css';

export const metadata: Metadata = { title: 'Services · Tracelens' };

type HealthView =
  | { readonly kind: 'ok'; readonly rows: readonly OperationHealth[]; readonly services: number }
  | { readonly kind: 'no-metrics'; readonly message: string }
  | { readonly kind: 'failed'; readonly message: string };

async function readHealth(client: JaegerQueryClient, form: HealthForm): Promise<HealthView> {
  try {
    const services = await client.services();
    if (services.length === 0) return { kind: 'ok', rows: [], services: 0 };
    const minStep = (await client.metricsMinStep()) ?? 1000;
    const { totals, chart } = healthQueries(services, form, Date.now(), minStep);
    const latency = (q: MetricsQuery, quantile: number): Promise<MetricFamily> => client.metrics('latencies', { ...q, quantile });
    const [calls, errors, p50, p95, p99, chartCalls, chartErrors, chartP95] = await Promise.all([
      client.metrics('calls', totals),
      client.metrics('errors', totals),
      latency(totals, 0.5),
      latency(totals, 0.95),
      latency(totals, 0.99),
      client.metrics('calls', chart),
      client.metrics('errors', chart),
      latency(chart, 0.95),
    ]);
    const rows = operationHealth({ calls, errors, p50, p95, p99 }, { calls: chartCalls, errors: chartErrors, p95: chartP95 }, chartTimes(chart));
    return { kind: 'ok', rows, services: services.length };
  } catch (error) {
    if (!(error instanceof JaegerQueryError)) throw error;
    // A Jaeger without a metrics backend: 501 "metrics querying is currently disabled".
    if (error.status === 501) return { kind: 'no-metrics', message: error.message };
    return { kind: 'failed', message: error.message };
  }
}

const rate = (perSecond: number) => (perSecond >= 10 ? perSecond.toFixed(0) : perSecond >= 1 ? perSecond.toFixed(1) : perSecond.toFixed(2));
const ms = (value: number | null) => (value === null ? '–' : value >= 100 ? `${value.toFixed(0)} ms` : `${value.toFixed(1)} ms`);
const percent = (fraction: number) => (fraction === 0 ? '0%' : fraction < 0.001 ? '<0.1%' : `${(fraction * 100).toFixed(1)}%`);

/**
 * `/services`: how each service is doing (RED: rate, errors, duration) per
 * operation over a window, from the trace store's metrics API: the
 * embedded store computes it from its spans, a real Jaeger only with a
 * Prometheus beside it. Sorted by impact (p95 latency × rate).
 */
export default async function ServicesPage({ searchParams }: { readonly searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const form = readHealthForm(await searchParams);
  const view = await readHealth(traceStore(webEnv()), form);
  const windowLabel = HEALTH_WINDOWS.find((w) => w.value === form.window)?.label.toLowerCase() ?? form.window;
  return (
    <main className={styles.page}>
      <h1 className={styles.heading}>Services</h1>
      <form method="get" className={styles.form} aria-label="Window">
        <label className={styles.field}>
          Window
          <select name="window" defaultValue={form.window}>
            {HEALTH_WINDOWS.map((w) => (
              <option key={w.value} value={w.value}>
                {w.label}
              </option>
            ))}
          </select>
        </label>
        <label className={styles.field}>
          Span kind
          <select name="kind" defaultValue={form.kind}>
            {HEALTH_KINDS.map((kind) => (
              <option key={kind} value={kind}>
                {kind}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">Show</button>
      </form>

      {view.kind === 'no-metrics' && (
        <div role="alert" className={styles.problem}>
          <p>
            <strong>This trace backend has no metrics.</strong> A real Jaeger computes rates, errors and latencies only with a Prometheus and the
            OpenTelemetry Collector&apos;s span-metrics connector beside it; the embedded store (<code>npm start</code> without{' '}
            <code>TRACELENS_BACKEND=jaeger</code>) computes them from the spans it keeps.
          </p>
          <p className={styles.note}>{view.message}</p>
        </div>
      )}
      {view.kind === 'failed' && (
        <div role="alert" className={styles.problem}>
          <p>Reading the metrics failed: {view.message}.</p>
        </div>
      )}
      {view.kind === 'ok' && view.rows.length === 0 && (
        <p className={styles.note}>
          No {form.kind} spans in the {windowLabel}. <Link href="/" prefetch={false}>Process a name</Link> or run the Load control, and come back.
        </p>
      )}
      {view.kind === 'ok' && view.rows.length > 0 && (
        <>
          <p className={styles.note}>
            {form.kind} spans of the {windowLabel}, per operation, most impact (p95 latency × rate) first. Each chart shows the window in{' '}
            {chartTimesLabel(form)} steps.
          </p>
          <div className={styles.tableWrap}>
            <table className={styles.table} aria-label="Operations">
              <thead>
                <tr>
                  <th scope="col">Service</th>
                  <th scope="col">Operation</th>
                  <th scope="col">Requests/s</th>
                  <th scope="col">Errors</th>
                  <th scope="col">p50</th>
                  <th scope="col">p95</th>
                  <th scope="col">p99</th>
                  <th scope="col">Traces</th>
                </tr>
              </thead>
              <tbody>
                {view.rows.map((row) => (
                  <tr key={`${row.service}\0${row.operation}`} aria-label={`${row.service} ${row.operation}`}>
                    <td>{row.service}</td>
                    <td className={styles.operation}>{row.operation}</td>
                    <td>
                      <span className={styles.figure} data-figure="rate">
                        {rate(row.rate)}
                        <Sparkline chart={row.charts.rate} label={`requests per second of ${row.operation} over the window`} />
                      </span>
                    </td>
                    <td>
                      <span className={`${styles.figure} ${row.errorRate > 0 ? styles.failing : ''}`} data-figure="errors">
                        {percent(row.errorRate)}
                        <Sparkline chart={row.charts.errorRate} label={`error rate of ${row.operation} over the window`} />
                      </span>
                    </td>
                    <td className={styles.number} data-figure="p50">
                      {ms(row.p50)}
                    </td>
                    <td>
                      <span className={styles.figure} data-figure="p95">
                        {ms(row.p95)}
                        <Sparkline chart={row.charts.p95} label={`p95 latency of ${row.operation} over the window`} />
                      </span>
                    </td>
                    <td className={styles.number} data-figure="p99">
                      {ms(row.p99)}
                    </td>
                    <td>
                      <span className={styles.links}>
                        <Link href={`${TRACES_PATH}?${tracesSearch(row, form, 'slowest')}`} prefetch={false}>
                          slowest
                        </Link>
                        {row.errorRate > 0 && (
                          <Link href={`${TRACES_PATH}?${tracesSearch(row, form, 'failing')}`} prefetch={false}>
                            failing
                          </Link>
                        )}
                      </span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </main>
  );
}

function chartTimesLabel(form: HealthForm): string {
  const step = healthQueries([], form, 0, 0).chart.stepMs / 1000;
  return step >= 60 ? `${step / 60} min` : `${step} s`;
}
