import { context, propagation, SpanKind, SpanStatusCode, trace, type Tracer } from '@opentelemetry/api';
import { logs } from '@opentelemetry/api-logs';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { FetchInstrumentation } from '@vercel/otel';
import { vi } from 'vitest';
import { fetchInstrumentationConfig, type ServerTracingSettings } from '../lib/server-tracing';

/** In-memory tracing for one test file, wired like the app's server side where it matters. */
export interface TestTracing {
  /** Every finished span; `reset()` it between tests. */
  readonly exporter: InMemorySpanExporter;
  /** Every log record emitted through the global LoggerProvider (lib/server-log.ts's); `reset()` it between tests. */
  readonly logs: InMemoryLogRecordExporter;
  /** For spans the test plays itself, such as Next's server span. */
  readonly tracer: Tracer;
  stop(): Promise<void>;
}

/**
 * Registers a BasicTracerProvider with an InMemorySpanExporter (and a
 * LoggerProvider with an InMemoryLogRecordExporter, as @vercel/otel registers one), async-hooks
 * context, W3C propagation and @vercel/otel's fetch instrumentation with the
 * app's own settings (so the tests see the real propagate/ignore decisions).
 */
export function startTestTracing(settings: ServerTracingSettings): TestTracing {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  const logExporter = new InMemoryLogRecordExporter();
  const loggerProvider = new LoggerProvider({ processors: [new SimpleLogRecordProcessor({ exporter: logExporter })] });
  logs.setGlobalLoggerProvider(loggerProvider);
  const fetchInstrumentation = new FetchInstrumentation(fetchInstrumentationConfig(settings));
  fetchInstrumentation.setTracerProvider(provider);
  fetchInstrumentation.enable();
  return {
    exporter,
    logs: logExporter,
    tracer: provider.getTracer('tracelens-test'),
    async stop() {
      fetchInstrumentation.disable();
      await provider.shutdown();
      await loggerProvider.shutdown();
      logs.disable();
      trace.disable();
      propagation.disable();
      context.disable();
    },
  };
}

/** One line per span: name, kind, ids, parent and status, for failure messages. */
export function describeSpans(spans: readonly ReadableSpan[]): string {
  if (spans.length === 0) {
    return '(no spans)';
  }
  return spans
    .map((span) => {
      const { spanId, traceId } = span.spanContext();
      const parent = span.parentSpanContext?.spanId ?? 'root';
      return `  - "${span.name}" ${SpanKind[span.kind]} trace=${traceId} span=${spanId} parent=${parent} status=${SpanStatusCode[span.status.code]}`;
    })
    .join('\n');
}

/**
 * Waits (with a deadline) for a finished span matching `predicate`: some spans,
 * like @vercel/otel's fetch span, end after the response has been handed back.
 */
export async function waitForSpan(
  exporter: InMemorySpanExporter,
  what: string,
  predicate: (span: ReadableSpan) => boolean,
): Promise<ReadableSpan> {
  return vi.waitFor(
    () => {
      const spans = exporter.getFinishedSpans();
      const found = spans.find(predicate);
      if (!found) {
        throw new Error(`no finished span is ${what}; finished spans:\n${describeSpans(spans)}`);
      }
      return found;
    },
    { timeout: 2_000, interval: 10 },
  );
}
