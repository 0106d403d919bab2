import { z } from 'zod';
import { v1Envelope } from './v1.js';

/**
 * Jaeger's metrics API (`/api/metrics/calls|errors|latencies`, the Monitor
 * tab's source): a MetricFamily of Jaeger's openmetrics proto as gogo's
 * jsonpb writes it. Jaeger answers it from a Prometheus fed by the span
 * metrics connector, the embedded store from its own rollups; a Jaeger
 * without a metrics backend answers 501. An empty family has no `metrics`
 * (jsonpb leaves out empty lists).
 */
export const metricPointSchema = z.object({
  gaugeValue: z.object({ doubleValue: z.number() }),
  /** RFC 3339. */
  timestamp: z.string(),
});

export const metricSchema = z.object({
  /** `service_name`, and `operation` when grouped by operation. */
  labels: z.array(z.object({ name: z.string(), value: z.string() })),
  metricPoints: z.array(metricPointSchema).default([]),
});

export const metricFamilySchema = z.object({
  name: z.string(),
  type: z.literal('GAUGE'),
  help: z.string().default(''),
  metrics: z.array(metricSchema).default([]),
});

/** `/api/metrics/minstep`: the finest step, milliseconds, in the v1 envelope. */
export const minStepAnswer = v1Envelope(z.number());

export type MetricFamily = z.output<typeof metricFamilySchema>;
export type MetricKind = 'calls' | 'errors' | 'latencies';

/** A metrics query, as Jaeger takes it (milliseconds). */
export interface MetricsQuery {
  readonly services: readonly string[];
  readonly groupByOperation?: boolean;
  /** Jaeger's names: `server` (its default), `client`, `internal`, `producer`, `consumer`, `unspecified`. */
  readonly spanKinds?: readonly string[];
  readonly endMs: number;
  readonly lookbackMs: number;
  readonly stepMs: number;
  readonly ratePerMs: number;
  /** Latencies only: 0 < quantile <= 1. */
  readonly quantile?: number;
}

export function metricsQueryParams(query: MetricsQuery): URLSearchParams {
  const params = new URLSearchParams(query.services.map((s): [string, string] => ['service', s]));
  if (query.groupByOperation) params.set('groupByOperation', 'true');
  for (const kind of query.spanKinds ?? []) params.append('spanKind', kind);
  params.set('endTs', String(Math.round(query.endMs)));
  params.set('lookback', String(Math.round(query.lookbackMs)));
  params.set('step', String(Math.round(query.stepMs)));
  params.set('ratePer', String(Math.round(query.ratePerMs)));
  if (query.quantile !== undefined) params.set('quantile', String(query.quantile));
  return params;
}

/** A series' label, e.g. `operation`, or '' when it has none. */
export function labelOf(metric: z.output<typeof metricSchema>, name: string): string {
  return metric.labels.find((l) => l.name === name)?.value ?? '';
}
