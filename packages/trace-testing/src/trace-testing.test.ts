import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { startCollector, type RunningCollector } from '@tracelens/trace-store';
import { JaegerQueryClient } from '@tracelens/jaeger-query';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findChain, findSpan, hasChain, hasServices, TraceAssertionError, waitForTrace } from './index.js';

/** One click's trace, sent in two exports: the browser's part, then (when asked) the server's. */
interface Click {
  readonly traceId: string;
  /** Sends the server's spans: api: GET /items [server] -> api: load items (ERROR). */
  emitBackend(): Promise<void>;
}

// Each test has a store of its own, so none depends on what another sent.
let collector: RunningCollector;
let client: JaegerQueryClient;

beforeEach(async () => {
  collector = await startCollector({ otlpPort: 0, queryPort: 0, db: ':memory:' });
  client = new JaegerQueryClient({ baseUrl: collector.queryUrl });
});
afterEach(() => collector.close());

// ui: click  ->  ui: GET [client]  ->  api: GET /items [server]  ->  api: load items  (ERROR)
async function emitClick(): Promise<Click> {
  const provider = (service: string) =>
    new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': service }),
      spanProcessors: [new SimpleSpanProcessor(new OTLPTraceExporter({ url: `${collector.otlpUrl}/v1/traces` }))],
    });
  const ui = provider('ui');
  const api = provider('api');
  const click = ui.getTracer('t').startSpan('click');
  const get = ui.getTracer('t').startSpan('GET', { kind: SpanKind.CLIENT }, trace.setSpan(ROOT_CONTEXT, click));
  get.end();
  click.end();
  await ui.forceFlush();
  return {
    traceId: click.spanContext().traceId,
    async emitBackend() {
      const server = api.getTracer('t').startSpan('GET /items', { kind: SpanKind.SERVER }, trace.setSpanContext(ROOT_CONTEXT, get.spanContext()));
      const load = api.getTracer('t').startSpan('load items', {}, trace.setSpan(ROOT_CONTEXT, server));
      load.setStatus({ code: SpanStatusCode.ERROR });
      load.end();
      server.end();
      await api.forceFlush();
    },
  };
}

async function emitWholeClick(): Promise<string> {
  const click = await emitClick();
  await click.emitBackend();
  return click.traceId;
}

describe('trace assertions against a real store', () => {
  it('waits until the late service arrives, then finds the chain', async () => {
    const click = await emitClick();
    const early = await waitForTrace(client, click.traceId);
    expect(early.spans.map((s) => s.service)).toEqual(['ui', 'ui']);
    expect(hasChain([{ service: 'ui', name: 'GET' }, { service: 'api', name: 'GET /items' }])(early)).toBe(
      'the span chain is incomplete: no api: GET /items as a child of step 1',
    );
    const waiting = waitForTrace(client, click.traceId, {
      until: hasChain([{ service: 'ui', name: 'click' }, { service: 'api', name: 'load items', descendant: true }]),
      timeoutMs: 5000,
      intervalMs: 50,
    });
    await click.emitBackend();
    const view = await waiting;
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
    const view = await waitForTrace(client, await emitWholeClick(), { until: hasServices('api') });
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
    const traceId = await emitWholeClick();
    await expect(waitForTrace(client, traceId, { until: hasServices('billing'), timeoutMs: 300, intervalMs: 50 })).rejects.toThrow(
      /was not complete after 300 ms at http:\/\/127\.0\.0\.1:\d+: no spans yet from billing\ntrace \w{32}: 4 spans/,
    );
    await expect(waitForTrace(client, 'f'.repeat(32), { timeoutMs: 200 })).rejects.toThrow(/no span of trace f{32} arrived/);
  });

  it('searches traces by tag', async () => {
    const traceId = await emitWholeClick();
    const found = await client.findTraces({ service: 'api', tags: { error: 'true' }, lookbackUs: 3_600_000_000 });
    expect(found.map((t) => t.traceId)).toEqual([traceId]);
    expect(await client.services()).toEqual(['api', 'ui']);
  });
});
