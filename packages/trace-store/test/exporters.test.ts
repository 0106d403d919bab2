/* eslint-disable @typescript-eslint/no-explicit-any -- answers are checked against @tracelens/jaeger-query's schemas (helpers.ts getJson), then read untyped: each test asserts on the fields it names */
import { context, trace, ROOT_CONTEXT, SpanKind, SpanStatusCode, type Span } from '@opentelemetry/api';
import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, SimpleSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningCollector } from '../src/index.js';
import { getJson, memoryCollector } from './helpers.js';

/**
 * Real OpenTelemetry exporters, JSON for one service and protobuf for the
 * other, each span exported in its own request (SimpleSpanProcessor):
 *
 *   frontend  GET /checkout            (server)
 *   frontend  └─ POST                  (client)
 *   backend      └─ POST /charge       (server)
 *   backend         └─ charge card     (internal, ERROR, exception event)
 */
describe('spans from the OpenTelemetry exporters', () => {
  let collector: RunningCollector;
  let traceId: string;
  const ids: Record<string, string> = {};

  // One `ip` for both: Jaeger's v1 clock-skew adjuster compares a span with
  // its parent only across hosts, and it keys hosts on `ip`. Without it,
  // every child is compared, and the SDK anchors each span's clock on
  // Date.now() (whole milliseconds), so under load a child can end a
  // fraction of a millisecond after its parent and draw Jaeger's warning.
  function provider(service: string, exporter: SpanExporter) {
    return new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': service, 'service.version': '1.2.3', 'host.name': 'box-1', ip: '10.0.0.1' }),
      spanProcessors: [new SimpleSpanProcessor(exporter)],
    });
  }

  beforeAll(async () => {
    collector = await memoryCollector();
    const url = `${collector.otlpUrl}/v1/traces`;
    const frontend = provider('frontend', new JsonExporter({ url }));
    const backend = provider('backend', new ProtoExporter({ url }));
    const ft = frontend.getTracer('checkout', '0.1.0');
    const bt = backend.getTracer('payments');

    const end = (span: Span, name: string) => {
      ids[name] = span.spanContext().spanId;
      span.end();
    };
    const root = ft.startSpan('GET /checkout', { kind: SpanKind.SERVER, attributes: { 'http.route': '/checkout', 'http.response.status_code': 200 } });
    traceId = root.spanContext().traceId;
    const client = ft.startSpan('POST', { kind: SpanKind.CLIENT, attributes: { 'server.port': 8080 } }, trace.setSpan(ROOT_CONTEXT, root));
    const server = bt.startSpan('POST /charge', { kind: SpanKind.SERVER }, trace.setSpanContext(ROOT_CONTEXT, client.spanContext()));
    const charge = bt.startSpan('charge card', { attributes: { 'payment.amount': 12.5, 'payment.retry': false } }, trace.setSpan(context.active(), server));
    charge.recordException(new Error('card declined'));
    charge.setStatus({ code: SpanStatusCode.ERROR, message: 'card declined' });
    end(charge, 'charge');
    end(server, 'server');
    end(client, 'client');
    end(root, 'root');
    await Promise.all([frontend.forceFlush(), backend.forceFlush()]);
    await Promise.all([frontend.shutdown(), backend.shutdown()]);
  });
  afterAll(() => collector.close());

  it('links parents across services and requests (v1)', async () => {
    const { status, body } = await getJson(collector, `/api/traces/${traceId}`);
    expect(status).toBe(200);
    const [t] = body.data;
    expect(t.spans).toHaveLength(4);
    const byName = Object.fromEntries(t.spans.map((s: any) => [s.operationName, s]));
    const parentOf = (name: string) => byName[name].references.find((r: any) => r.refType === 'CHILD_OF')?.spanID;
    expect(parentOf('GET /checkout')).toBeUndefined();
    expect(parentOf('POST')).toBe(ids.root);
    expect(parentOf('POST /charge')).toBe(ids.client);
    expect(parentOf('charge card')).toBe(ids.server);
    expect(t.spans.every((s: any) => s.warnings === null)).toBe(true);

    const service = (name: string) => t.processes[byName[name].processID].serviceName;
    expect(service('GET /checkout')).toBe('frontend');
    expect(service('charge card')).toBe('backend');
    expect(t.processes[byName['POST /charge'].processID].tags).toEqual(
      expect.arrayContaining([
        { key: 'service.version', type: 'string', value: '1.2.3' },
        { key: 'host.name', type: 'string', value: 'box-1' },
      ]),
    );
  });

  it('carries kinds, typed attributes, status, error and events as logs (v1)', async () => {
    const { body } = await getJson(collector, `/api/traces/${traceId}`);
    const byName = Object.fromEntries(body.data[0].spans.map((s: any) => [s.operationName, s]));
    const tag = (span: string, key: string) => byName[span].tags.find((t: any) => t.key === key);
    expect(tag('GET /checkout', 'span.kind')).toEqual({ key: 'span.kind', type: 'string', value: 'server' });
    expect(tag('POST', 'span.kind')?.value).toBe('client');
    expect(tag('GET /checkout', 'http.response.status_code')).toEqual({ key: 'http.response.status_code', type: 'int64', value: 200 });
    expect(tag('GET /checkout', 'otel.scope.name')?.value).toBe('checkout');
    expect(tag('GET /checkout', 'otel.scope.version')?.value).toBe('0.1.0');
    expect(tag('charge card', 'payment.amount')).toEqual({ key: 'payment.amount', type: 'float64', value: 12.5 });
    expect(tag('charge card', 'payment.retry')).toEqual({ key: 'payment.retry', type: 'bool', value: false });
    expect(tag('charge card', 'span.kind')?.value).toBe('internal');
    expect(tag('charge card', 'otel.status_code')?.value).toBe('ERROR');
    expect(tag('charge card', 'error')).toEqual({ key: 'error', type: 'bool', value: true });
    expect(tag('charge card', 'otel.status_description')?.value).toBe('card declined');
    expect(tag('GET /checkout', 'error')).toBeUndefined();

    const [log] = byName['charge card'].logs;
    expect(log.fields[0]).toEqual({ key: 'event', type: 'string', value: 'exception' });
    expect(log.fields).toContainEqual({ key: 'exception.message', type: 'string', value: 'card declined' });
    expect(log.timestamp).toBeGreaterThanOrEqual(byName['charge card'].startTime);
  });

  it('returns the trace as OTLP from api_v3, one resource per service and export', async () => {
    const { status, body } = await getJson(collector, `/api/v3/traces/${traceId}`);
    expect(status).toBe(200);
    // As Jaeger's storage keeps it: each export's resource on its own, not merged by service.
    const services = body.result.resourceSpans.map(
      (rs: any) => rs.resource.attributes.find((a: any) => a.key === 'service.name').value.stringValue,
    );
    expect(new Set(services)).toEqual(new Set(['backend', 'frontend']));
    const spans = body.result.resourceSpans.flatMap((rs: any) => rs.scopeSpans.flatMap((ss: any) => ss.spans));
    const charge = spans.find((s: any) => s.name === 'charge card');
    expect(charge).toMatchObject({ traceId, spanId: ids.charge, parentSpanId: ids.server, status: { code: 2, message: 'card declined' } });
    expect(charge.events[0].name).toBe('exception');
    expect(BigInt(charge.endTimeUnixNano)).toBeGreaterThanOrEqual(BigInt(charge.startTimeUnixNano));
  });

  it('finds the trace by service, operation, tags and duration', async () => {
    const search = async (query: string) =>
      (await getJson(collector, `/api/traces?${query}`)).body.data.map((t: any) => t.traceID);
    expect(await search('service=backend')).toEqual([traceId]);
    expect(await search('service=backend&operation=charge%20card')).toEqual([traceId]);
    expect(await search('service=backend&operation=nope')).toEqual([]);
    expect(await search('service=backend&tags=' + encodeURIComponent('{"error":"true"}'))).toEqual([traceId]);
    expect(await search('service=backend&tag=exception.message:card%20declined')).toEqual([traceId]);
    expect(await search('service=backend&tag=host.name:box-1')).toEqual([traceId]);
    expect(await search('service=frontend&tag=http.response.status_code:200')).toEqual([traceId]);
    expect(await search('service=frontend&tag=http.response.status_code:500')).toEqual([]);
    expect(await search('service=frontend&minDuration=1h')).toEqual([]);
    expect(await search('service=frontend&maxDuration=1h')).toEqual([traceId]);
  });

  it('lists services, operations and dependencies', async () => {
    expect((await getJson(collector, '/api/services')).body).toEqual({
      data: ['backend', 'frontend'],
      total: 2,
      limit: 0,
      offset: 0,
      errors: null,
    });
    expect((await getJson(collector, '/api/services/backend/operations')).body.data).toEqual(['POST /charge', 'charge card']);
    expect((await getJson(collector, '/api/operations?service=backend&spanKind=server')).body.data).toEqual([
      { name: 'POST /charge', spanKind: 'server' },
    ]);
    // Jaeger counts calls within a service too.
    expect((await getJson(collector, '/api/dependencies')).body.data).toEqual([
      { parent: 'backend', child: 'backend', callCount: 1 },
      { parent: 'frontend', child: 'backend', callCount: 1 },
      { parent: 'frontend', child: 'frontend', callCount: 1 },
    ]);
  });
});
