/**
 * The browser's OpenTelemetry SDK setup (service `web-ui`). Only
 * instrumentation-client.ts imports it, dynamically and after hydration, so
 * that all of the SDK lands in chunks of its own, off the path to the first
 * render. Static imports here, rather than dynamic imports of each package
 * there, let the bundler tree-shake the packages: it cannot see which exports
 * of a dynamically imported namespace are used, and the whole packages would
 * nearly double the bytes.
 *
 * Spans go in batches to this app's own /api/otlp/v1/traces relay (same
 * origin: no CORS, and the collector stays private). Fetches to our own origin
 * get `traceparent` and `baggage`; cross-origin ones get nothing. The click's
 * baggage entries (`session.id`, `user.id`) are also copied onto its spans.
 */
import { propagation, type Context, type HrTime } from '@opentelemetry/api';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { DocumentLoadInstrumentation } from '@opentelemetry/instrumentation-document-load';
import { FetchInstrumentation } from '@opentelemetry/instrumentation-fetch';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  WebTracerProvider,
  type ReadableSpan,
  type Span,
  type SpanProcessor,
  type TimedEvent,
} from '@opentelemetry/sdk-trace-web';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { ATTR_FETCH_QUEUED_MS } from '@/lib/shared/attributes';
import { BROWSER_BAGGAGE_KEYS } from './browser-baggage';
import { OTLP_RELAY_PATH } from '@/lib/shared/routes';
import {
  createSampler,
  DEFAULT_BROWSER_SAMPLER,
  parseSamplerConfig,
  SAMPLER_ARG_META_NAME,
  SAMPLER_META_NAME,
  type SamplerConfig,
} from '@/lib/shared/sampling';
import { BROWSER_SERVICE_NAME, TRACER_NAME } from '@/lib/shared/telemetry';

/** How long a finished span may wait in the browser before its batch is sent, in milliseconds. */
const EXPORT_DELAY_MS = 1000;

/** Interactions whose spans are tracked at once, at most; the oldest is forgotten beyond. */
const MAX_OPEN_INTERACTIONS = 16;

/**
 * Sends the batch as soon as every span of an interaction has ended: a trace
 * that one of our own root spans (a click) started. Waiting out the batch
 * delay would only make its trace late, by up to EXPORT_DELAY_MS, most of the
 * time from click to complete trace. The click span itself ends before its
 * fetch span does (the fetch instrumentation ends its span 300 ms after the
 * answer, once the resource timing is in), hence the count of open spans per
 * trace rather than a send when the root ends. Everything else waits as
 * usual, so the page load's spans and the router's fetches still go in batches.
 */
export class SendOnInteractionEnd implements SpanProcessor {
  /** Spans started and not yet ended, by trace id, of the interactions under way. */
  private readonly open = new Map<string, number>();

  constructor(private readonly batch: SpanProcessor) {}

  onStart(span: Span, parentContext: Context): void {
    this.batch.onStart(span, parentContext);
    const { traceId } = span.spanContext();
    const open = this.open.get(traceId);
    if (open !== undefined) {
      this.open.set(traceId, open + 1);
    } else if (span.parentSpanContext === undefined && span.instrumentationScope.name === TRACER_NAME) {
      this.open.set(traceId, 1);
      // A span that never ends must not keep its interaction here for ever.
      if (this.open.size > MAX_OPEN_INTERACTIONS) this.open.delete(this.open.keys().next().value as string);
    }
  }

  onEnd(span: ReadableSpan): void {
    this.batch.onEnd(span);
    const { traceId } = span.spanContext();
    const open = this.open.get(traceId);
    if (open === undefined) return;
    if (open > 1) {
      this.open.set(traceId, open - 1);
    } else {
      this.open.delete(traceId);
      void this.batch.forceFlush();
    }
  }

  forceFlush(): Promise<void> {
    return this.batch.forceFlush();
  }

  shutdown(): Promise<void> {
    this.open.clear();
    return this.batch.shutdown();
  }
}

/**
 * Copies the baggage entries named in `keys` onto each span as it starts, as
 * @opentelemetry/baggage-span-processor does on the servers. Written out here
 * because that package ships only CommonJS, which the bundler cannot
 * tree-shake, and it would bring its own copy of @opentelemetry/api into the
 * page: 1.4 KB gzipped (bench `browser`) for a dozen lines.
 */
export class BaggageAttributes implements SpanProcessor {
  constructor(private readonly keys: ReadonlySet<string>) {}

  onStart(span: Span, parentContext: Context): void {
    for (const [key, entry] of propagation.getBaggage(parentContext)?.getAllEntries() ?? []) {
      if (this.keys.has(key)) span.setAttribute(key, entry.value);
    }
  }

  onEnd(): void {}

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/** Instrumentation scope of the spans whose Resource Timing events `FetchQueueAttribute` reads. */
const FETCH_INSTRUMENTATION_SCOPE = '@opentelemetry/instrumentation-fetch';

const millis = ([seconds, nanos]: HrTime): number => seconds * 1e3 + nanos / 1e6;

/**
 * How long the request of a fetch span waited in the browser before it was
 * sent (see ATTR_FETCH_QUEUED_MS), from the span's Resource Timing events;
 * undefined without `fetchStart` and `requestStart` (no timing entry found,
 * or a failed fetch).
 */
export function queuedMillis(events: readonly TimedEvent[]): number | undefined {
  const at = (name: string): number | undefined => {
    const event = events.find((e) => e.name === name);
    return event === undefined ? undefined : millis(event.time);
  };
  const span = (from: string, to: string): number => {
    const start = at(from);
    const end = at(to);
    return start === undefined || end === undefined ? 0 : Math.max(0, end - start);
  };
  const fetchStart = at('fetchStart');
  const requestStart = at('requestStart');
  if (fetchStart === undefined || requestStart === undefined) return undefined;
  const queued = requestStart - fetchStart - span('domainLookupStart', 'domainLookupEnd') - span('connectStart', 'connectEnd');
  // Microsecond precision is all Resource Timing gives (and less, coarsened against timing attacks).
  return Math.round(Math.max(0, queued) * 1_000) / 1_000;
}

/**
 * Puts `fetch.queued_ms` on the fetch instrumentation's spans as they end:
 * without it, the time the browser held a request (6 connections per origin
 * over HTTP/1.1) reads as the fetch span's own work, the largest self time
 * of a trace under load. `onEnding` (SDK 2.x, experimental) is the last
 * moment a processor may set an attribute, and the first at which the span
 * has its timing events: the instrumentation adds them, from the Resource
 * Timing entry, right before it ends the span.
 */
export class FetchQueueAttribute implements SpanProcessor {
  onStart(): void {}

  onEnding(span: Span): void {
    if (span.instrumentationScope.name !== FETCH_INSTRUMENTATION_SCOPE) return;
    const queued = queuedMillis(span.events);
    if (queued !== undefined) span.setAttribute(ATTR_FETCH_QUEUED_MS, queued);
  }

  onEnd(): void {}

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/**
 * The sampler config the server rendered into the page (app/layout.tsx, from
 * its OTEL_TRACES_SAMPLER and OTEL_TRACES_SAMPLER_ARG), read at start-up
 * rather than built in, so a server started with another env needs no
 * rebuild. Missing or unreadable: always on, and said so in the console, since
 * the page must work whatever the markup holds.
 */
export function pageSamplerConfig(doc: Pick<Document, 'querySelector'>): SamplerConfig {
  const meta = (name: string) => doc.querySelector<HTMLMetaElement>(`meta[name="${name}"]`)?.content;
  const name = meta(SAMPLER_META_NAME);
  if (name === undefined) return DEFAULT_BROWSER_SAMPLER;
  const parsed = parseSamplerConfig(name, meta(SAMPLER_ARG_META_NAME), DEFAULT_BROWSER_SAMPLER);
  if (parsed.ok) return parsed.config;
  console.warn(`[tracelens] the page's ${parsed.variable} ${parsed.error}; sampling every trace`);
  return DEFAULT_BROWSER_SAMPLER;
}

/** Registers the tracer provider, propagators and the document-load and fetch instrumentations. */
export function startBrowserTracing(): void {
  const relayUrl = new URL(OTLP_RELAY_PATH, window.location.origin).href;
  const provider = new WebTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: BROWSER_SERVICE_NAME }),
    sampler: createSampler(pageSamplerConfig(document)),
    // The attribute processors first, so the batch sees what they add.
    // The batch processor also sends when the page is hidden, so closing the
    // tab right after a click still delivers its spans.
    spanProcessors: [
      new BaggageAttributes(new Set(BROWSER_BAGGAGE_KEYS)),
      new FetchQueueAttribute(),
      new SendOnInteractionEnd(new BatchSpanProcessor(new OTLPTraceExporter({ url: relayUrl }), { scheduledDelayMillis: EXPORT_DELAY_MS })),
    ],
  });
  // Default context manager: StackContextManager (no zone.js), see lib/browser/traced-request.ts.
  provider.register({
    propagator: new CompositePropagator({
      propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()],
    }),
  });
  registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      // Started after the load event, it reads the navigation and resource
      // timing entries the browser kept, so the page load is traced all the same.
      new DocumentLoadInstrumentation(),
      // The exporter already bypasses the patched fetch; ignoring the relay
      // here as well keeps any export from becoming a span to export.
      new FetchInstrumentation({ ignoreUrls: [relayUrl] }),
    ],
  });
}
