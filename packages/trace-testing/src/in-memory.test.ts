import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { logs } from '@opentelemetry/api-logs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TraceAssertionError } from './errors.js';
import {
  assertChildOf,
  durationMs,
  exceptionMessages,
  spanNamed,
  StartedSpans,
  startInMemoryTracing,
  waitForSpan,
  waitForSpans,
  type InMemoryTracing,
} from './in-memory.js';

const started = new StartedSpans();
let tracing: InMemoryTracing;

beforeAll(() => {
  tracing = startInMemoryTracing({ spanProcessors: [started] });
});
afterAll(() => tracing.stop());
beforeEach(async () => {
  await tracing.reset();
  started.clear();
});

describe('startInMemoryTracing', () => {
  it('keeps the spans the code under test records, nested through async work, with W3C propagation', async () => {
    const tracer = trace.getTracer('under-test');
    const headers: Record<string, string> = {};
    await tracer.startActiveSpan('parent', async (parent) => {
      await Promise.resolve();
      tracer.startActiveSpan('child', (child) => {
        propagation.inject(context.active(), headers);
        child.recordException(new Error('boom'));
        child.setStatus({ code: SpanStatusCode.ERROR });
        child.end();
      });
      parent.end();
    });
    const spans = tracing.exporter.getFinishedSpans();
    const child = spanNamed(spans, 'child');
    assertChildOf(child, spanNamed(spans, 'parent'), spans);
    expect(headers['traceparent']).toBe(`00-${child.spanContext().traceId}-${child.spanContext().spanId}-01`);
    expect(exceptionMessages(child)).toEqual(['boom']);
    expect(durationMs(child)).toBeGreaterThanOrEqual(0);
    expect(started.names).toEqual(['parent', 'child']);
  });

  it('keeps log records emitted through the global LoggerProvider', () => {
    logs.getLogger('under-test').emit({ body: 'hello', severityText: 'INFO' });
    expect(tracing.logExporter.getFinishedLogRecords().map((record) => record.body)).toEqual(['hello']);
  });

  it('starts each test empty', () => {
    expect(tracing.exporter.getFinishedSpans()).toEqual([]);
    expect(tracing.logExporter.getFinishedLogRecords()).toEqual([]);
  });

  it('waits for a span that ends later, and fails listing what it saw', async () => {
    const span = tracing.tracer.startSpan('late', { kind: SpanKind.CLIENT });
    const waiting = waitForSpan(tracing, 'the late span', (s) => s.name === 'late');
    await started.waitFor('late');
    span.end();
    expect((await waiting).kind).toBe(SpanKind.CLIENT);
    await expect(waitForSpans(tracing, 'a span named never', (spans) => spans.some((s) => s.name === 'never'), 50)).rejects.toThrow(
      TraceAssertionError,
    );
    expect(() => spanNamed([], 'missing')).toThrow(/found 0; spans:\n {2}\(no spans\)/);
  });
});
