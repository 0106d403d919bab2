import { context, propagation, SpanKind, SpanStatusCode, trace, type Context, type Tracer, type TracerProvider } from '@opentelemetry/api';
import { logs } from '@opentelemetry/api-logs';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor, type LogRecordProcessor } from '@opentelemetry/sdk-logs';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
  type Span,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { ATTR_EXCEPTION_MESSAGE, ATTR_URL_PATH } from '@opentelemetry/semantic-conventions';
import { TraceAssertionError } from './errors.js';

/**
 * In-memory tracing for unit and integration tests, as OpenTelemetry
 * contrib's test utilities do it: spans and log records are kept in memory
 * instead of exported, so a test reads what its code recorded. One per test
 * file; `reset()` between tests, `stop()` after the last.
 */
export interface InMemoryTracing {
  /** Every finished span since the start or the last `reset()`. */
  readonly exporter: InMemorySpanExporter;
  /** Every log record emitted through the global LoggerProvider since the start or the last `reset()`. */
  readonly logExporter: InMemoryLogRecordExporter;
  /** For spans the test plays itself, such as a framework's server span. */
  readonly tracer: Tracer;
  /** Hands every ended span and record to the exporters (export can wait for async resource attributes). */
  forceFlush(): Promise<void>;
  /** Flushes, then empties both exporters: a span a previous test ended may still be on its way. */
  reset(): Promise<void>;
  /** Disables the instrumentations, shuts the providers down and unregisters every global it set. */
  stop(): Promise<void>;
}

/** What an instrumentation needs to be enabled against the test's provider (@opentelemetry/instrumentation's and @vercel/otel's alike). */
export interface TestInstrumentation {
  setTracerProvider(provider: TracerProvider): void;
  enable(): void;
  disable(): void;
}

/** The SDK a `register` function started: the test's flush and stop go through it. */
export interface RegisteredSdk {
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}

export interface InMemoryTracingOptions {
  /** Span processors after the in-memory one, e.g. `StartedSpans`. Default none. */
  readonly spanProcessors?: readonly SpanProcessor[];
  /** Enabled against the default provider, disabled by `stop()`. Ignored with `register`. Default none. */
  readonly instrumentations?: readonly TestInstrumentation[];
  /**
   * Starts the app's own SDK instead of the default one, with the in-memory
   * processors given (e.g. `startNodeTracing` of @tracelens/otel-node, so the
   * test runs with the app's instrumentations, resource and sampler). It
   * registers the globals itself. Default: a BasicTracerProvider and a
   * LoggerProvider registered globally, with AsyncLocalStorage context and
   * W3C trace-context and baggage propagation.
   */
  readonly register?: (processors: { spanProcessors: SpanProcessor[]; logRecordProcessors: LogRecordProcessor[] }) => RegisteredSdk;
}

export function startInMemoryTracing(options: InMemoryTracingOptions = {}): InMemoryTracing {
  const exporter = new InMemorySpanExporter();
  const logExporter = new InMemoryLogRecordExporter();
  const spanProcessors = [new SimpleSpanProcessor(exporter), ...(options.spanProcessors ?? [])];
  const logRecordProcessors = [new SimpleLogRecordProcessor({ exporter: logExporter })];
  const sdk = options.register ? options.register({ spanProcessors, logRecordProcessors }) : registerDefault(spanProcessors, logRecordProcessors, options.instrumentations ?? []);
  return {
    exporter,
    logExporter,
    tracer: trace.getTracer('@tracelens/trace-testing'),
    forceFlush: () => sdk.forceFlush(),
    async reset() {
      await sdk.forceFlush();
      exporter.reset();
      logExporter.reset();
    },
    stop: () => sdk.shutdown(),
  };
}

function registerDefault(
  spanProcessors: SpanProcessor[],
  logRecordProcessors: LogRecordProcessor[],
  instrumentations: readonly TestInstrumentation[],
): RegisteredSdk {
  const provider = new BasicTracerProvider({ spanProcessors });
  const loggerProvider = new LoggerProvider({ processors: logRecordProcessors });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }));
  trace.setGlobalTracerProvider(provider);
  logs.setGlobalLoggerProvider(loggerProvider);
  for (const instrumentation of instrumentations) {
    instrumentation.setTracerProvider(provider);
    instrumentation.enable();
  }
  return {
    forceFlush: async () => {
      await Promise.all([provider.forceFlush(), loggerProvider.forceFlush()]);
    },
    async shutdown() {
      for (const instrumentation of instrumentations) instrumentation.disable();
      await Promise.all([provider.shutdown(), loggerProvider.shutdown()]);
      logs.disable();
      trace.disable();
      propagation.disable();
      context.disable();
    },
  };
}

/** One line per span: name, kind, ids, parent, status and attributes; for failure messages. */
export function describeSpans(spans: readonly ReadableSpan[]): string {
  if (spans.length === 0) return '  (no spans)';
  return spans
    .map((span) => {
      const { traceId, spanId } = span.spanContext();
      const parent = span.parentSpanContext?.spanId ?? 'root';
      const status = SpanStatusCode[span.status.code];
      return `  ${span.name} [${SpanKind[span.kind]}] trace=${traceId} span=${spanId} parent=${parent} status=${status} ${JSON.stringify(span.attributes)}`;
    })
    .join('\n');
}

/**
 * Flushes and reads the exporter until `done(spans)` holds, or fails after
 * `timeoutMs` listing the spans seen. Some spans end after the code under
 * test has handed back its answer (an HTTP server span ends on `finish`, a
 * fetch span once the body is read), so a test cannot read them at once.
 */
export async function waitForSpans(
  tracing: InMemoryTracing,
  what: string,
  done: (spans: readonly ReadableSpan[]) => boolean,
  timeoutMs = 3_000,
): Promise<ReadableSpan[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await tracing.forceFlush();
    const spans = tracing.exporter.getFinishedSpans();
    if (done(spans)) return spans;
    if (Date.now() > deadline) throw new TraceAssertionError(`Waited ${timeoutMs} ms for ${what}; the spans seen were:\n${describeSpans(spans)}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The first finished span matching `predicate`, once there is one (see waitForSpans). */
export async function waitForSpan(
  tracing: InMemoryTracing,
  what: string,
  predicate: (span: ReadableSpan) => boolean,
  timeoutMs = 3_000,
): Promise<ReadableSpan> {
  const spans = await waitForSpans(tracing, what, (seen) => seen.some(predicate), timeoutMs);
  return spans.find(predicate) as ReadableSpan;
}

/** The one span named `name`, or an error listing every span seen. */
export function spanNamed(spans: readonly ReadableSpan[], name: string): ReadableSpan {
  const matches = spans.filter((span) => span.name === name);
  if (matches.length !== 1) {
    throw new TraceAssertionError(`Expected exactly one span named "${name}", found ${matches.length}; spans:\n${describeSpans(spans)}`);
  }
  return matches[0] as ReadableSpan;
}

/**
 * The finished spans of the trace whose server span has `url.path` = `path`
 * (the first such trace), once `done(traceSpans)` holds: by default as soon
 * as that server span has ended. Pass `done` to wait for spans that may end
 * after it, e.g. those of a downstream call.
 */
export async function traceOf(tracing: InMemoryTracing, path: string, done: (spans: readonly ReadableSpan[]) => boolean = () => true): Promise<ReadableSpan[]> {
  const select = (seen: readonly ReadableSpan[]): ReadableSpan[] | undefined => {
    const server = seen.find((span) => span.kind === SpanKind.SERVER && span.attributes[ATTR_URL_PATH] === path);
    const traceId = server?.spanContext().traceId;
    return traceId === undefined ? undefined : seen.filter((span) => span.spanContext().traceId === traceId);
  };
  const spans = await waitForSpans(tracing, `the trace of ${path}`, (seen) => {
    const traceSpans = select(seen);
    return traceSpans !== undefined && done(traceSpans);
  });
  return select(spans) ?? [];
}

/** Fails, listing `spans`, unless `child` is a direct child of `parent` in the same trace. */
export function assertChildOf(child: ReadableSpan, parent: ReadableSpan, spans: readonly ReadableSpan[]): void {
  const sameTrace = child.spanContext().traceId === parent.spanContext().traceId;
  if (!sameTrace || child.parentSpanContext?.spanId !== parent.spanContext().spanId) {
    throw new TraceAssertionError(`${child.name} should be a child of ${parent.name}; spans:\n${describeSpans(spans)}`);
  }
}

/** The `exception.message` of each exception event of the span. */
export function exceptionMessages(span: ReadableSpan): unknown[] {
  return span.events.filter((event) => event.name === 'exception').map((event) => event.attributes?.[ATTR_EXCEPTION_MESSAGE]);
}

/** Milliseconds a span lasted. */
export function durationMs(span: ReadableSpan): number {
  return span.duration[0] * 1_000 + span.duration[1] / 1_000_000;
}

/**
 * Remembers the spans that started, which the exporter only sees once they
 * end: a test can wait until some work is under way (e.g. before aborting
 * its caller). Only sampled spans start; an unsampled one never reaches a
 * processor. Pass it in `spanProcessors`.
 */
export class StartedSpans implements SpanProcessor {
  private spans: Span[] = [];

  onStart(span: Span, _parentContext: Context): void {
    this.spans.push(span);
  }
  onEnd(): void {}
  async forceFlush(): Promise<void> {}
  async shutdown(): Promise<void> {}

  get names(): string[] {
    return this.spans.map((span) => span.name);
  }

  clear(): void {
    this.spans = [];
  }

  /** Polls until a span named `name` has started. */
  async waitFor(name: string, timeoutMs = 3_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.names.includes(name)) {
      if (Date.now() > deadline) {
        throw new TraceAssertionError(`Waited ${timeoutMs} ms for a span named "${name}" to start; started: ${JSON.stringify(this.names)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}
