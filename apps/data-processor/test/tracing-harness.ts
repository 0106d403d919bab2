import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { createLogger, startNodeTracing, type Logger, type LogSink, type NodeTracing } from '@tracelens/otel-node';
import { createInstrumentations } from '../src/telemetry/instrumentations.js';
import { SERVICE_NAME, SERVICE_VERSION } from '../src/telemetry/service-info.js';

export interface TestTracing {
  readonly exporter: InMemorySpanExporter;
  readonly tracing: NodeTracing;
}

/**
 * The app's tracing setup (same instrumentations, same resource) with spans
 * kept in memory instead of exported. One per test file; `resetSpans()`
 * between tests.
 */
export function startTestTracing(): TestTracing {
  const exporter = new InMemorySpanExporter();
  const tracing = startNodeTracing({
    serviceName: SERVICE_NAME,
    serviceVersion: SERVICE_VERSION,
    instrumentations: createInstrumentations(),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  return { exporter, tracing };
}

/**
 * Empties the exporter between tests. Flushes first: a span a previous test
 * ended may still be on its way (export waits for async resource attributes).
 */
export async function resetSpans({ exporter, tracing }: TestTracing): Promise<void> {
  await tracing.forceFlush();
  exporter.reset();
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
 * Polls the exporter until `done(spans)` holds. The HTTP server span ends on
 * the response's `finish`, which can come after the client has the body, so
 * a test cannot read the exporter right after `fetch` resolves.
 */
export async function waitForSpans(
  { exporter, tracing }: TestTracing,
  what: string,
  done: (spans: readonly ReadableSpan[]) => boolean,
  timeoutMs = 3_000,
): Promise<ReadableSpan[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await tracing.forceFlush();
    const spans = exporter.getFinishedSpans();
    if (done(spans)) return spans;
    if (Date.now() > deadline) {
      throw new Error(`Waited ${timeoutMs} ms for ${what}; the spans seen were:\n${describeSpans(spans)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The one span named `name`, or an error listing every span seen. */
export function spanNamed(spans: readonly ReadableSpan[], name: string): ReadableSpan {
  const matches = spans.filter((span) => span.name === name);
  if (matches.length !== 1) {
    throw new Error(`Expected exactly one span named "${name}", found ${matches.length}; spans:\n${describeSpans(spans)}`);
  }
  return matches[0] as ReadableSpan;
}

/** Collects log lines; `records()` parses them. */
export class LogCapture implements LogSink {
  private lines: string[] = [];

  write(line: string): void {
    this.lines.push(line);
  }

  records(): Record<string, unknown>[] {
    return this.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  }

  clear(): void {
    this.lines = [];
  }

  logger(): Logger {
    return createLogger(SERVICE_NAME, { level: 'debug', stdout: this, stderr: this });
  }
}
