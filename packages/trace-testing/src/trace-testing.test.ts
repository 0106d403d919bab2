import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { startCollector, type RunningCollector } from '@tracelens/trace-store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findChain, findSpan, hasChain, hasServices, JaegerQueryClient, TraceAssertionError, waitForTrace } from './index.js';

describe('trace assertions against a real store', () => {
  let collector: RunningCollector;
  let client: JaegerQueryClient;
  let traceId: string;
  let emitBackend: () => Promise<void>;

  // ui: click  ->  ui: GET [client]  ->  api: GET /items [server]  ->  api: load items  (ERROR)
  beforeAll(async () => {
    collector = await startCollector({ otlpPort: 0, queryPort: 0, db: ':memory:' });
    client = new JaegerQueryClient(collector.queryUrl);
    const provider = (service: string) =>
      new BasicTracerProvider({
        resource: resourceFromAttributes({ 'service.name': service }),
        spanProcessors: [new SimpleSpanProcessor(new OTLPTraceExporter({ url: `${collector.otlpUrl}/v1/traces` }))],
      });
    const ui = provider('ui');
    const api = provider('api');
    const click = ui.getTracer('t').startSpan('click');
    traceId = click.spanContext().traceId;
    const get = ui.getTracer('t').startSpan('GET', { kind: SpanKind.CLIENT }, trace.setSpan(ROOT_CONTEXT, click));
    get.end();
    click.end();
    await ui.forceFlush();
    emitBackend = async () => {
      const server = api.getTracer('t').startSpan('GET /items', { kind: SpanKind.SERVER }, trace.setSpanContext(ROOT_CONTEXT, get.spanContext()));
      const load = api.getTracer('t').startSpan('load items', {}, trace.setSpan(ROOT_CONTEXT, server));
      load.setStatus({ code: SpanStatusCode.ERROR });
      load.end();
      server.end();
      await api.forceFlush();
    };
  });
  afterAll(() => collector.close());

  it('waits until the late service arrives, then finds the chain', async () => {
    const early = await waitForTrace(client, traceId);
    expect(early.spans.map((s) => s.service)).toEqual(['ui', 'ui']);
    expect(hasChain([{ service: 'ui', name: 'GET' }, { service: 'api', name: 'GET /items' }])(early)).toBe(
      'the span chain is incomplete: no api: GET /items as a child of step 1',
    );
    const later = setTimeout(() => void emitBackend(), 300);
    const view = await waitForTrace(client, traceId, {
      until: hasChain([{ service: 'ui', name: 'click' }, { service: 'api', name: 'load items', descendant: true }]),
      timeoutMs: 5000,
      intervalMs: 50,
    });
    clearTimeout(later);
    const chain = findChain(view, [
      { service: 'ui', name: 'click' },
      { service: 'ui', name: 'GET', kind: 'client' },
      { service: 'api', name: /^GET \//, kind: 'server' },
      { service: 'api', name: 'load items' },
    ]);
    expect(chain.map((s) => s.name)).toEqual(['click', 'GET', 'GET /items', 'load items']);
    expect(findSpan(view, 'api', 'load items').error).toBe(true);
    // Steps may skip intermediate spans when marked as descendants.
    expect(findChain(view, [{ service: 'ui', name: 'click' }, { service: 'api', name: 'load items', descendant: true }])).toHaveLength(2);
  });

  it('explains a broken chain with the spans it did see', async () => {
    const view = await waitForTrace(client, traceId, { until: hasServices('api') });
    let error: unknown;
    try {
      findChain(view, [
        { service: 'ui', name: 'click' },
        { service: 'api', name: 'GET /items' },
      ]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TraceAssertionError);
    const message = (error as Error).message;
    expect(message).toContain('found steps 1-1:\n  1. ui: click');
    expect(message).toContain('but no api: GET /items as a child of step 1.');
    expect(message).toMatch(/trace \w{32}: 4 spans from api, ui/);
    expect(message).toMatch(/^ {4}ui: GET \[client\] .*\n {6}api: GET \/items \[server\]/m);
  });

  it('times out with what was missing and what arrived', async () => {
    await expect(waitForTrace(client, traceId, { until: hasServices('billing'), timeoutMs: 300, intervalMs: 50 })).rejects.toThrow(
      /was not complete after 300 ms at http:\/\/127\.0\.0\.1:\d+: no spans yet from billing\ntrace \w{32}: 4 spans/,
    );
    await expect(waitForTrace(client, 'f'.repeat(32), { timeoutMs: 200 })).rejects.toThrow(/no span of trace f{32} arrived/);
  });

  it('searches traces by tag', async () => {
    const found = await client.findTraces({ service: 'api', tags: { error: 'true' } });
    expect(found.map((t) => t.traceID)).toEqual([traceId]);
    expect(await client.services()).toEqual(['api', 'ui']);
  });
});
