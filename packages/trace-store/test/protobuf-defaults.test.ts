import { ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningCollector } from '../src/index.js';
import { getJson, memoryCollector } from './helpers.js';

/**
 * Fields a protobuf sender leaves out because they hold their default: a
 * root span has no parent_span_id, a span without links or a status has
 * none on the wire. They must read back as absent, not fail the export.
 */
describe('protobuf spans with fields left at their defaults', () => {
  let collector: RunningCollector;
  let provider: BasicTracerProvider;

  beforeAll(async () => {
    collector = await memoryCollector();
    provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': 'proto-root' }),
      spanProcessors: [new SimpleSpanProcessor(new OTLPTraceExporter({ url: `${collector.otlpUrl}/v1/traces` }))],
    });
  });

  afterAll(async () => {
    await provider.shutdown();
    await collector.close();
  });

  it('stores a root span and its child, each exported on its own', async () => {
    const tracer = provider.getTracer('defaults');
    const root = tracer.startSpan('GET /health');
    const child = tracer.startSpan('check', {}, trace.setSpan(ROOT_CONTEXT, root));
    child.end();
    root.end();
    await provider.forceFlush();

    const traceId = root.spanContext().traceId;
    const { status, body } = await getJson(collector, `/api/traces/${traceId}`);
    expect(status).toBe(200);
    const spans: { operationName: string; references: { spanID: string }[] }[] = body.data[0].spans;
    const byName = Object.fromEntries(spans.map((s) => [s.operationName, s]));
    expect(Object.keys(byName).sort()).toEqual(['GET /health', 'check']);
    expect(byName['GET /health']?.references).toEqual([]);
    expect(byName['check']?.references.map((r) => r.spanID)).toEqual([root.spanContext().spanId]);
  });
});
