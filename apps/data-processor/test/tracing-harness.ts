import { SpanKind, SpanStatusCode, type Context } from '@opentelemetry/api';
import { ATTR_EXCEPTION_MESSAGE, ATTR_URL_PATH } from '@opentelemetry/semantic-conventions';
import { expect } from 'vitest';
import { InMemoryLogRecordExporter, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import {
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
  type Span,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { createLogger, startNodeTracing, type Logger, type LogSink, type NodeTracing } from '@tracelens/otel-node';
import { createInstrumentations } from '../src/telemetry/instrumentations.js';
import { SERVICE_NAME, SERVICE_VERSION } from '../src/telemetry/service-info.js';

export interface TestTracing {
  readonly exporter: InMemorySpanExporter;
  /** The OTLP log records `createLogger` emitted. */
  readonly logExporter: InMemoryLogRecordExporter;
  readonly tracing: NodeTracing;
}

export interface TestTracingOptions {
  /** Span processors added after the in-memory one (e.g. to see which spans started). */
  readonly spanProcessors?: readonly SpanProcessor[];
}

/**
 * The app's tracing setup (same instrumentations, same resource, the default
 * baggage allowlist and sampler from the environment) with spans and log
 * records kept in memory instead of exported. One per test file;
 * `resetSpans()` between tests.
 */
export function startTestTracing(options: TestTracingOptions = {}): TestTracing {
  const exporter = new InMemorySpanExporter();
  const logExporter = new InMemoryLogRecordExporter();
  const tracing = startNodeTracing({
    serviceName: SERVICE_NAME,
    serviceVersion: SERVICE_VERSION,
    instrumentations: createInstrumentations(),
    spanProcessors: [new SimpleSpanProcessor(exporter), ...(options.spanProcessors ?? [])],
    logRecordProcessors: [new SimpleLogRecordProcessor({ exporter: logExporter })],
  });
  return { exporter, logExporter, tracing };
}

/**
 * Empties the exporters between tests. Flushes first: a span a previous test
 * ended may still be on its way (export waits for async resource attributes).
 */
export async function resetSpans({ exporter, logExporter, tracing }: TestTracing): Promise<void> {
  await tracing.forceFlush();
  exporter.reset();
  logExporter.reset();
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

/**
 * The finished spans of the trace whose server span has `url.path` = `path`
 * (the first such trace), once `done(traceSpans)` holds: by default as soon
 * as that server span has ended. Pass `done` to wait for spans that may end
 * after it, e.g. those of a downstream call.
 */
export async function traceOf(
  testTracing: TestTracing,
  path: string,
  done: (spans: readonly ReadableSpan[]) => boolean = () => true,
): Promise<ReadableSpan[]> {
  const select = (seen: readonly ReadableSpan[]): ReadableSpan[] | undefined => {
    const server = seen.find((span) => span.kind === SpanKind.SERVER && span.attributes[ATTR_URL_PATH] === path);
    const traceId = server?.spanContext().traceId;
    return traceId === undefined ? undefined : seen.filter((span) => span.spanContext().traceId === traceId);
  };
  const spans = await waitForSpans(testTracing, `the trace of ${path}`, (seen) => {
    const traceSpans = select(seen);
    return traceSpans !== undefined && done(traceSpans);
  });
  return select(spans) ?? [];
}

export function expectParent(child: ReadableSpan, parent: ReadableSpan, spans: readonly ReadableSpan[]): void {
  expect(
    child.parentSpanContext?.spanId,
    `${child.name} should be a child of ${parent.name}; spans:\n${describeSpans(spans)}`,
  ).toBe(parent.spanContext().spanId);
  expect(child.spanContext().traceId).toBe(parent.spanContext().traceId);
}

export function exceptionMessages(span: ReadableSpan): unknown[] {
  return span.events.filter((event) => event.name === 'exception').map((event) => event.attributes?.[ATTR_EXCEPTION_MESSAGE]);
}

/** Milliseconds a span lasted. */
export function durationMs(span: ReadableSpan): number {
  return span.duration[0] * 1_000 + span.duration[1] / 1_000_000;
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

/**
 * Remembers the spans that started, which the exporter only sees once they
 * end: a test can wait until some work is under way (e.g. before aborting
 * its caller). Only sampled spans start; an unsampled one never reaches a
 * processor.
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
        const seen = JSON.stringify(this.names);
        throw new Error(`Waited ${timeoutMs} ms for a span named "${name}" to start; started: ${seen}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}
