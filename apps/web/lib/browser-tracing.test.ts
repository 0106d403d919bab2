import { propagation, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan, type Span, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { describe, expect, it, vi } from 'vitest';
import { BaggageAttributes, pageSamplerConfig, SendOnInteractionEnd } from './browser-tracing';
import { TRACER_NAME } from './telemetry';

/** Stands for the batch processor: counts what it is given and how often it is told to send. */
class RecordingProcessor implements SpanProcessor {
  readonly ended: string[] = [];
  flushes = 0;
  onStart(_span: Span): void {}
  onEnd(span: ReadableSpan): void {
    this.ended.push(span.name);
  }
  forceFlush(): Promise<void> {
    this.flushes += 1;
    return Promise.resolve();
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

function setup() {
  const batch = new RecordingProcessor();
  const provider = new BasicTracerProvider({ spanProcessors: [new SendOnInteractionEnd(batch)] });
  return {
    batch,
    ours: provider.getTracer(TRACER_NAME),
    fetch: provider.getTracer('@opentelemetry/instrumentation-fetch'),
    documentLoad: provider.getTracer('@opentelemetry/instrumentation-document-load'),
  };
}

describe('SendOnInteractionEnd', () => {
  it('sends once the last span of a click has ended, even when the click span ends first', () => {
    const { batch, ours, fetch } = setup();
    const click = ours.startSpan('process click');
    const get = fetch.startSpan('GET', {}, trace.setSpan(ROOT_CONTEXT, click));
    click.end();
    expect(batch.flushes).toBe(0);
    get.end();
    expect(batch.ended).toEqual(['process click', 'GET']);
    expect(batch.flushes).toBe(1);
  });

  it('leaves spans of other roots (page load, router fetches) to the batch delay', () => {
    const { batch, fetch, documentLoad } = setup();
    documentLoad.startSpan('documentLoad').end();
    fetch.startSpan('GET').end();
    expect(batch.ended).toEqual(['documentLoad', 'GET']);
    expect(batch.flushes).toBe(0);
  });

  it('tracks clicks in parallel separately', () => {
    const { batch, ours } = setup();
    const first = ours.startSpan('process click');
    const second = ours.startSpan('process click');
    first.end();
    expect(batch.flushes).toBe(1);
    second.end();
    expect(batch.flushes).toBe(2);
  });
});

describe('BaggageAttributes', () => {
  it('copies the allowed baggage entries of the parent context onto the span, and nothing else', () => {
    const exporter = new InMemorySpanExporter();
    const tracer = new BasicTracerProvider({
      spanProcessors: [new BaggageAttributes(new Set(['session.id', 'user.id'])), new SimpleSpanProcessor(exporter)],
    }).getTracer('test');
    const baggage = propagation.createBaggage({ 'session.id': { value: 's1' }, 'user.id': { value: 'u1' }, secret: { value: 'x' } });
    tracer.startSpan('with baggage', {}, propagation.setBaggage(ROOT_CONTEXT, baggage)).end();
    tracer.startSpan('without', {}, ROOT_CONTEXT).end();

    const [withBaggage, without] = exporter.getFinishedSpans();
    expect(withBaggage?.attributes).toEqual({ 'session.id': 's1', 'user.id': 'u1' });
    expect(without?.attributes).toEqual({});
  });
});

describe('pageSamplerConfig', () => {
  /** A document holding these `<meta name=… content=…>` tags. */
  const page = (metas: Record<string, string>) => ({
    querySelector: (selector: string) => {
      const name = /meta\[name="([^"]+)"\]/.exec(selector)?.[1];
      return name !== undefined && name in metas ? ({ content: metas[name] } as HTMLMetaElement) : null;
    },
  });

  it('reads the sampler the server rendered into the page', () => {
    expect(pageSamplerConfig(page({ 'tracelens-traces-sampler': 'parentbased_traceidratio', 'tracelens-traces-sampler-arg': '0' }) as Document)).toEqual({
      name: 'parentbased_traceidratio',
      ratio: 0,
    });
    expect(pageSamplerConfig(page({ 'tracelens-traces-sampler': 'always_off' }) as Document)).toEqual({ name: 'always_off', ratio: 1 });
  });

  it('samples everything when the page has no sampler or one it does not know', () => {
    expect(pageSamplerConfig(page({}) as Document)).toEqual({ name: 'always_on', ratio: 1 });
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    expect(pageSamplerConfig(page({ 'tracelens-traces-sampler': 'xray' }) as Document)).toEqual({ name: 'always_on', ratio: 1 });
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/OTEL_TRACES_SAMPLER must be one of/));
    warn.mockRestore();
  });
});
