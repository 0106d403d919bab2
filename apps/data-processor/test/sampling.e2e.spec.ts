import type { INestApplication } from '@nestjs/common';
import { SpanKind } from '@opentelemetry/api';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startTestApp } from './test-app.js';
import { LogCapture } from './log-capture.js';
import { startTestTracing } from './test-tracing.js';
import { StartedSpans, describeSpans, traceOf } from '@tracelens/trace-testing/in-memory';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT_SPAN_ID = '00f067aa0ba902b7';

/*
 * Head sampling from the standard environment, read by the SDK when tracing
 * starts: with parentbased_traceidratio and a ratio of 0, this tier starts no
 * trace of its own, and follows the caller's decision (the sampled flag of
 * `traceparent`), so a decision made in the browser holds downstream.
 */
describe('sampling with OTEL_TRACES_SAMPLER=parentbased_traceidratio, OTEL_TRACES_SAMPLER_ARG=0', () => {
  // Before tracing starts: the provider reads the sampler when it is built.
  vi.stubEnv('OTEL_TRACES_SAMPLER', 'parentbased_traceidratio');
  vi.stubEnv('OTEL_TRACES_SAMPLER_ARG', '0');
  // Only sampled spans reach a span processor, at their start: what started is what was sampled.
  const started = new StartedSpans();
  const testTracing = startTestTracing({ spanProcessors: [started] });
  vi.unstubAllEnvs();
  const logs = new LogCapture();
  let app: INestApplication;
  let baseUrl: string;

  beforeAll(async () => {
    ({ app, baseUrl } = await startTestApp(logs, { TRACELENS_SIMULATED_WORK: 'off' }));
  });
  afterAll(async () => {
    await app?.close();
    await testTracing.stop();
  });
  beforeEach(async () => {
    await testTracing.reset();
    started.clear();
  });

  it('records nothing for a request that starts a trace here', async () => {
    const response = await fetch(`${baseUrl}/data/india`);
    expect(response.status).toBe(200);
    // The server span starts before the handler runs, so by the answer it would have started.
    expect(started.names).toEqual([]);
  });

  it('records nothing under a caller that did not sample (flags 00)', async () => {
    const response = await fetch(`${baseUrl}/data/juliet`, {
      headers: { traceparent: `00-${TRACE_ID}-${PARENT_SPAN_ID}-00` },
    });
    expect(response.status).toBe(200);
    expect(started.names).toEqual([]);
  });

  /*
   * The caller's sampled decision wins over the ratio of 0:
   *
   *   (caller's span 00f067aa0ba902b7)
   *   └── GET /data/:name             SERVER
   *       └── DataController.process
   *           └── process-data-internal
   */
  it('records the whole request under a caller that sampled (flags 01)', async () => {
    const response = await fetch(`${baseUrl}/data/kilo`, {
      headers: { traceparent: `00-${TRACE_ID}-${PARENT_SPAN_ID}-01` },
    });
    expect(response.status).toBe(200);

    const spans = await traceOf(testTracing, '/data/kilo', (seen) => seen.length === 3);
    expect(spans.map((span) => span.name).sort(), describeSpans(spans)).toEqual(
      ['DataController.process', 'GET /data/:name', 'process-data-internal'].sort(),
    );
    const server = spans.find((span) => span.kind === SpanKind.SERVER);
    expect(server?.spanContext().traceId).toBe(TRACE_ID);
    expect(server?.parentSpanContext?.spanId).toBe(PARENT_SPAN_ID);
    expect(spans.every((span) => span.spanContext().traceFlags === 1)).toBe(true);
    // The same processor that saw nothing above saw these start.
    expect(started.names).toHaveLength(3);
  });
});
