import { SpanKind, type Attributes, type Context, type Link } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import {
  AlwaysOnSampler,
  BatchSpanProcessor,
  ParentBasedSampler,
  SamplingDecision,
  type Sampler,
  type SamplingResult,
} from '@opentelemetry/sdk-trace-base';
import type { Configuration, FetchInstrumentationConfig } from '@vercel/otel';
import type { WebEnv } from '../env';
import { ATTR_NEXT_HTTP_TARGET } from './attributes';
import { HEALTH_PATH, OTLP_RELAY_PATH } from './routes';
import { SERVER_SERVICE_NAME } from './telemetry';

/** What the server-side tracing setup needs to know from the environment. */
export type ServerTracingSettings = Pick<WebEnv, 'dataProcessorUrl' | 'otlpTracesUrl'>;

/**
 * Our own plumbing: the browser's span exports would otherwise each add a
 * frontend-api trace (one per export, forever), and health probes would bury
 * real traffic.
 */
export const UNTRACED_PATHS: readonly string[] = [OTLP_RELAY_PATH, HEALTH_PATH];

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
 * The exporter is OpenTelemetry's Node OTLP/HTTP (JSON) one rather than
 * @vercel/otel's default, which posts with no timeout: this one gives up after
 * `OTEL_EXPORTER_OTLP_TIMEOUT` (10 s by default), retries within that budget,
 * and caps concurrent exports, while the batch processor drops spans beyond
 * its queue. Exports run off the request path, so a down or slow collector
 * costs spans, never latency or errors. Because the span processor is given
 * explicitly, @vercel/otel's own env-driven exporter is not added as well.
 */
export function frontendApiOTelConfig(settings: ServerTracingSettings): Configuration {
  return {
    serviceName: SERVER_SERVICE_NAME,
    propagators: ['tracecontext', 'baggage'],
    // Parent-based, so a browser that chose not to sample is respected.
    traceSampler: new UntracedPathsSampler(new ParentBasedSampler({ root: new AlwaysOnSampler() }), UNTRACED_PATHS),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: settings.otlpTracesUrl }))],
    instrumentationConfig: { fetch: fetchInstrumentationConfig(settings) },
  };
}
