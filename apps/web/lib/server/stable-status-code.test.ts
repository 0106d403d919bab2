import { context, SpanKind, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { ATTR_HTTP_RESPONSE_STATUS_CODE } from '@opentelemetry/semantic-conventions';
import { FetchInstrumentation } from '@vercel/otel';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStubServer, type StubServer } from '@/test/http-stub';
import { describeSpans } from '@tracelens/trace-testing/in-memory';
import { ATTR_LEGACY_HTTP_STATUS_CODE } from '@/lib/shared/attributes';
import { StableStatusCodeProcessor, withStableStatusCode } from './stable-status-code';

/** A provider whose spans reach `exporter` through the processor under test. */
function tracingThroughProcessor() {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new StableStatusCodeProcessor(new SimpleSpanProcessor(exporter))] });
  return { exporter, provider, tracer: provider.getTracer('test') };
}

describe('StableStatusCodeProcessor', () => {
  it('adds http.response.status_code to a span that has only http.status_code, keeping both', () => {
    const { exporter, tracer } = tracingThroughProcessor();
    // As Next.js ends its root server span: the status set right before end().
    const span = tracer.startSpan('GET /api/process/[name]', { kind: SpanKind.SERVER });
    span.setAttribute(ATTR_LEGACY_HTTP_STATUS_CODE, 502);
    span.end();
    const [exported] = exporter.getFinishedSpans();
    expect(exported?.attributes).toEqual({ [ATTR_LEGACY_HTTP_STATUS_CODE]: 502, [ATTR_HTTP_RESPONSE_STATUS_CODE]: 502 });
    // Everything else is the span's own.
    expect(exported?.spanContext()).toEqual(span.spanContext());
    expect(exported?.name).toBe('GET /api/process/[name]');
    expect(exported?.kind).toBe(SpanKind.SERVER);
  });

  it('leaves spans alone that carry the stable attribute already, or no status at all', () => {
    const { exporter, tracer } = tracingThroughProcessor();
    tracer.startSpan('GET /data/:name', { attributes: { [ATTR_HTTP_RESPONSE_STATUS_CODE]: 500, [ATTR_LEGACY_HTTP_STATUS_CODE]: 599 } }).end();
    tracer.startSpan('process-data-logic').end();
    tracer.startSpan('odd', { attributes: { [ATTR_LEGACY_HTTP_STATUS_CODE]: 'teapot' } }).end();
    expect(exporter.getFinishedSpans().map((span) => span.attributes)).toEqual([
      { [ATTR_HTTP_RESPONSE_STATUS_CODE]: 500, [ATTR_LEGACY_HTTP_STATUS_CODE]: 599 },
      {},
      { [ATTR_LEGACY_HTTP_STATUS_CODE]: 'teapot' },
    ]);
  });

  it('hands on the very span when there is nothing to add', () => {
    const span = { attributes: { [ATTR_HTTP_RESPONSE_STATUS_CODE]: 200 } } as unknown as ReadableSpan;
    expect(withStableStatusCode(span)).toBe(span);
  });

  describe("@vercel/otel's fetch span of a failed call", () => {
    let dataProcessor: StubServer;
    beforeAll(async () => {
      dataProcessor = await startStubServer((_request, response) => {
        response.writeHead(500, { 'content-type': 'application/json' }).end('{"message":"Simulated data processing error!"}');
      });
    });
    afterAll(() => dataProcessor.close());

    it('is found by http.response.status_code=500, as the data-processor span it called', async () => {
      const { exporter, provider } = tracingThroughProcessor();
      const contextManager = new AsyncLocalStorageContextManager().enable();
      context.setGlobalContextManager(contextManager);
      trace.setGlobalTracerProvider(provider);
      const instrumentation = new FetchInstrumentation({ propagateContextUrls: [dataProcessor.url] });
      instrumentation.setTracerProvider(provider);
      instrumentation.enable();
      try {
        const response = await fetch(`${dataProcessor.url}/data/charlie_error`);
        await response.text();
      } finally {
        instrumentation.disable();
        trace.disable();
        context.disable();
      }
      // @vercel/otel ends its fetch span once it has read a clone of the
      // body, which may be after our own read finished (it is on Node 24).
      await expect
        .poll(() => exporter.getFinishedSpans().some((span) => span.kind === SpanKind.CLIENT), {
          message: `no fetch span ended; spans: ${describeSpans(exporter.getFinishedSpans())}`,
        })
        .toBe(true);
      const fetchSpan = exporter.getFinishedSpans().find((span) => span.kind === SpanKind.CLIENT);
      expect(fetchSpan?.attributes[ATTR_LEGACY_HTTP_STATUS_CODE]).toBe(500);
      expect(fetchSpan?.attributes[ATTR_HTTP_RESPONSE_STATUS_CODE]).toBe(500);
    });
  });
});
