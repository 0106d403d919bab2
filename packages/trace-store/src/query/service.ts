import { adjustV1Trace } from '../jaeger/v1-adjust.js';
import { groupByTrace, spanKindName, toJaegerTrace, toV1Spans, type JaegerTrace } from '../jaeger/v1-model.js';
import { adjustV3Trace } from '../jaeger/v3-adjust.js';
import { summarize, type TraceSummary } from '../jaeger/v3-model.js';
import { metricFamily, periodRange, readPeriod, type MetricFamily, type MetricType } from '../metrics/red-metrics.js';
import type { MetricsQuery } from '../metrics/metrics-params.js';
import { FINEST_PERIOD_S } from '../metrics/rollup.js';
import type { ResourceSpans } from '../otlp/model.js';
import type { Dependency, StoredLog, StoreReader, TraceQuery } from '../store/reader.js';
import { MAX_TRACES_PER_SEARCH } from './v1-params.js';

/**
 * The query service between the HTTP handlers and the store, as in Jaeger:
 * it reads traces and applies Jaeger's read-time adjustments (v1 or api_v3
 * flavour) unless the caller asks for raw traces. Handlers never touch the
 * store.
 */
export class QueryService {
  constructor(private readonly store: StoreReader) {}

  services(): string[] {
    return this.store.services();
  }

  /** A service's operations; `spanKind` keeps those of exactly that kind name ('' keeps all). */
  operations(service: string, spanKind: string): { name: string; spanKind: string }[] {
    return this.store
      .operations(service)
      .map((op) => ({ name: op.name, spanKind: spanKindName(op.kind) }))
      .filter((op) => spanKind === '' || op.spanKind === spanKind);
  }

  /** A trace as Jaeger's storage lays it out (one ResourceSpans per resource of each export), fresh objects. */
  private layout(traceId: string): ResourceSpans[] | undefined {
    return this.store.getTrace(traceId);
  }

  private v1(layout: ResourceSpans[], raw: boolean): JaegerTrace {
    const spans = toV1Spans(layout);
    return toJaegerTrace(raw ? spans : adjustV1Trace(spans));
  }

  /** One trace in the v1 model, or undefined when the store has none of its spans. */
  v1Trace(traceId: string, raw: boolean): JaegerTrace | undefined {
    const layout = this.layout(traceId);
    return layout && this.v1(layout, raw);
  }

  private findIds(query: TraceQuery): string[] {
    return this.store.findTraceIds({ ...query, limit: Math.min(query.limit, MAX_TRACES_PER_SEARCH) });
  }

  v1Search(query: TraceQuery, raw: boolean): JaegerTrace[] {
    return this.findIds(query).flatMap((id) => {
      const layout = this.layout(id);
      return layout ? [this.v1(layout, raw)] : [];
    });
  }

  /** OTLP/JSON in, v1 traces out, nothing stored and nothing adjusted (Jaeger's /api/transform). */
  transform(resourceSpans: readonly ResourceSpans[]): JaegerTrace[] {
    return groupByTrace(toV1Spans(resourceSpans)).map(toJaegerTrace);
  }

  /** Traces in the api_v3 layout (see stored-layout.ts), adjusted unless `raw`; unknown ids are skipped. */
  v3Traces(traceIds: readonly string[], raw: boolean): ResourceSpans[][] {
    return traceIds.flatMap((id) => {
      const layout = this.layout(id);
      if (!layout) return [];
      return [raw ? layout : adjustV3Trace(layout)];
    });
  }

  v3Search(query: TraceQuery, raw: boolean): ResourceSpans[][] {
    return this.v3Traces(this.findIds(query), raw);
  }

  /** Summaries of the matching traces, from their adjusted spans (Jaeger 2.20). */
  summaries(query: TraceQuery): TraceSummary[] {
    const ids = this.findIds(query);
    return ids.flatMap((id) => {
      const layout = this.layout(id);
      return layout ? [summarize(id, adjustV3Trace(layout))] : [];
    });
  }

  /** Calls between services in the traces inside the window; with `service`, only links that touch it. */
  dependencies(startNs: bigint, endNs: bigint, service: string): Dependency[] {
    const links = this.store.dependencies(startNs, endNs);
    return service === '' ? links : links.filter((l) => l.parent === service || l.child === service);
  }

  traceLogs(traceId: string): StoredLog[] {
    return this.store.traceLogs(traceId);
  }

  /** Rate, errors or a latency quantile of the services over time, from the RED rollups (Jaeger's metrics API). */
  metrics(metric: MetricType, query: MetricsQuery): MetricFamily {
    const periodS = readPeriod(query);
    const { fromS, toS } = periodRange(query, periodS);
    return metricFamily(metric, query, periodS, this.store.rollups(query.services, periodS, fromS, toS));
  }

  /** The finest `step` worth asking for, in milliseconds: the shortest rollup period. */
  minStepMs(): number {
    return FINEST_PERIOD_S * 1000;
  }
}
