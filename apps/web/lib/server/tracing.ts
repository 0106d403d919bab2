import 'server-only';
import { SpanKind, type Attributes, type Context, type Link } from '@opentelemetry/api';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { envDetector, hostDetector } from '@opentelemetry/resources';
import { BatchLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { BatchSpanProcessor, SamplingDecision, type Sampler, type SamplingResult } from '@opentelemetry/sdk-trace-base';
import type { Configuration, FetchInstrumentationConfig } from '@vercel/otel';
import { baggageSpanProcessor } from '@tracelens/otel-node/baggage';
import type { WebEnv } from '@/env';
import { ATTR_NEXT_HTTP_TARGET, ATTR_NEXT_SPAN_TYPE } from '@/lib/shared/attributes';
import { HEALTH_PATH, OPERATIONS_PATH, OTLP_RELAY_PATH, TRACE_API_PREFIX, TRACES_PATH } from '@/lib/shared/routes';
import { createSampler } from '@/lib/shared/sampling';
import { StableStatusCodeProcessor } from './stable-status-code';
import { SERVER_SERVICE_NAME } from '@/lib/shared/telemetry';

/** What the fetch instrumentation needs to know from the environment. */
export type ServerTracingSettings = Pick<WebEnv, 'dataProcessorUrl' | 'otlpTracesUrl'>;

/** What the whole server-side tracing setup needs to know from the environment. */
export type FrontendApiTracingSettings = ServerTracingSettings &
  Pick<WebEnv, 'baggageKeys' | 'tracesSampler' | 'otlpLogsUrl' | 'logsExporter'>;

/**
 * Our own plumbing: the browser's span exports would otherwise each add a
 * frontend-api trace (one per export, forever), health probes would bury
 * real traffic, and the trace viewer would fill the store with traces of
 * itself reading it (the live view asks twice a second).
 */
export const UNTRACED_PATHS: readonly string[] = [OTLP_RELAY_PATH, HEALTH_PATH, TRACES_PATH, TRACE_API_PREFIX, OPERATIONS_PATH];

/**
 * Drops the server span (and so, through the parent-based delegate, the whole
 * local trace) of requests to `untracedPaths`; asks `delegate` about the rest.
 * It keys on `http.target`, which Next.js sets when it starts its root span.
 */
export class UntracedPathsSampler implements Sampler {
  constructor(
    private readonly delegate: Sampler,
    private readonly untracedPaths: readonly string[],
  ) {}

  shouldSample(
    context: Context,
    traceId: string,
    spanName: string,
    spanKind: SpanKind,
    attributes: Attributes,
    links: Link[],
  ): SamplingResult {
    const target = attributes[ATTR_NEXT_HTTP_TARGET];
    if (spanKind === SpanKind.SERVER && typeof target === 'string' && this.isUntraced(target)) {
      return { decision: SamplingDecision.NOT_RECORD };
    }
    return this.delegate.shouldSample(context, traceId, spanName, spanKind, attributes, links);
  }

  toString(): string {
    return `UntracedPathsSampler{paths=[${this.untracedPaths.join(', ')}], delegate=${this.delegate.toString()}}`;
  }

  private isUntraced(target: string): boolean {
    const path = target.split(/[?#]/, 1)[0] ?? target;
    return this.untracedPaths.some((untraced) => path === untraced || path.startsWith(`${untraced}/`));
  }
}

/**
 * Next.js's bookkeeping spans around a route handler, by `next.span_type`:
 * `resolve page components` (and its child `load route module`), `prepare
 * route module`, `load app route module` (first request of a route) and
 * `start response`. They sit beside the route's own span, not above it, each
 * lasts well under a millisecond and carries nothing but its name, yet each
 * costs as much to export and store as a span that matters. Dropping them
 * takes a request from 8 frontend-api spans to 4 (11 to 7 with the
 * data-processor's): a third less to export and store, and about 30% less
 * collector CPU per request (bench `overhead`). The request's root span,
 * `executing api route` and everything under it stay.
 */
export const DROPPED_NEXT_SPAN_TYPES: readonly string[] = [
  'NextNodeServer.findPageComponents',
  'LoadComponents.loadRouteModule',
  'RouteModule.prepare',
  'AppRouteRouteModule.loadUserland',
  'NextNodeServer.startResponse',
];

/**
 * Does not record spans whose `next.span_type` is one of `spanTypes` (their
 * children, if any, follow them out through the parent-based delegate); asks
 * `delegate` about the rest.
 */
export class NextSpanTypesSampler implements Sampler {
  private readonly dropped: ReadonlySet<string>;

  constructor(
    private readonly delegate: Sampler,
    spanTypes: readonly string[],
  ) {
    this.dropped = new Set(spanTypes);
  }

  shouldSample(
    context: Context,
    traceId: string,
    spanName: string,
    spanKind: SpanKind,
    attributes: Attributes,
    links: Link[],
  ): SamplingResult {
    const spanType = attributes[ATTR_NEXT_SPAN_TYPE];
    if (typeof spanType === 'string' && this.dropped.has(spanType)) {
      return { decision: SamplingDecision.NOT_RECORD };
    }
    return this.delegate.shouldSample(context, traceId, spanName, spanKind, attributes, links);
  }

  toString(): string {
    return `NextSpanTypesSampler{dropped=[${[...this.dropped].join(', ')}], delegate=${this.delegate.toString()}}`;
  }
}

/** `base` as the normalised prefix that @vercel/otel matches `URL.href`s against. */
function urlPrefix(base: string): string {
  return new URL(`${base.replace(/\/+$/, '')}/`).href;
}

/** The @vercel/otel fetch instrumentation settings; also used by the route tests. */
export function fetchInstrumentationConfig(settings: ServerTracingSettings): FetchInstrumentationConfig {
  return {
    // @vercel/otel injects `traceparent` only into fetches to http://localhost
    // (and Vercel's own hosts) unless the URL is listed here; without it the
    // data-processor would start a trace of its own.
    propagateContextUrls: [urlPrefix(settings.dataProcessorUrl)],
    // The exporter and the browser relay both post to the collector: a span per
    // post would be exported by the next post, and so on.
    ignoreUrls: [new URL(settings.otlpTracesUrl).href],
  };
}

/**
 * The frontend-api's @vercel/otel configuration.
 *
 * The exporter is OpenTelemetry's Node OTLP/HTTP protobuf one rather than
 * @vercel/otel's default, which posts with no timeout: this one gives up after
 * `OTEL_EXPORTER_OTLP_TIMEOUT` (10 s by default), retries within that budget,
 * and caps concurrent exports, while the batch processor drops spans beyond
 * its queue. Exports run off the request path, so a down or slow collector
 * costs spans, never latency or errors. Because the span processor is given
 * explicitly, @vercel/otel's own env-driven exporter is not added as well.
 * Protobuf, not JSON, as the data-processor and OTLP's default: it costs this
 * server about the same to encode and the collector half as much to decode
 * (bench `ingest`; README "Tracing overhead per tier").
 */
export function frontendApiOTelConfig(settings: FrontendApiTracingSettings): Configuration {
  const baggage = baggageSpanProcessor(settings.baggageKeys);
  return {
    serviceName: SERVER_SERVICE_NAME,
    // host.id, host.name and host.arch beside @vercel/otel's own attributes
    // (its default detectors are the env one alone), as the data-processor
    // reports them: the trace viewer's clock-skew adjuster, like Jaeger's,
    // keys clocks on the host, and without them every frontend-api span
    // counted as another clock than the data-processor's on the same machine.
    resourceDetectors: [envDetector, hostDetector],
    propagators: ['tracecontext', 'baggage'],
    traceSampler: frontendApiSampler(settings),
    spanProcessors: [
      // First, so the exporter's batch sees the attributes it adds.
      ...(baggage === undefined ? [] : [baggage]),
      // Exported with the stable `http.response.status_code` beside Next's and
      // @vercel/otel's legacy `http.status_code`, so one tag search covers
      // every tier.
      new StableStatusCodeProcessor(new BatchSpanProcessor(new OTLPTraceExporter({ url: settings.otlpTracesUrl }))),
    ],
    // @vercel/otel registers a global LoggerProvider for these, which
    // lib/server/log.ts's logger emits to; the batch processor bounds its
    // queue and drops past it, like the span processor.
    ...(settings.logsExporter === 'otlp'
      ? { logRecordProcessors: [new BatchLogRecordProcessor({ exporter: new OTLPLogExporter({ url: settings.otlpLogsUrl }) })] }
      : {}),
    instrumentationConfig: { fetch: fetchInstrumentationConfig(settings) },
  };
}

/**
 * OTEL_TRACES_SAMPLER's sampler (parent-based by default, so a browser that
 * chose not to sample is respected), minus our own plumbing and Next's
 * bookkeeping spans, which no sampler setting brings back.
 */
export function frontendApiSampler(settings: Pick<WebEnv, 'tracesSampler'>): Sampler {
  return new UntracedPathsSampler(new NextSpanTypesSampler(createSampler(settings.tracesSampler), DROPPED_NEXT_SPAN_TYPES), UNTRACED_PATHS);
}
