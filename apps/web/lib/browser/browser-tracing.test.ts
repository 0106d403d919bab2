import { propagation, ROOT_CONTEXT, trace, type HrTime } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan, type Span, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { describe, expect, it, vi } from 'vitest';
import { ATTR_FETCH_QUEUED_MS } from '@/lib/shared/attributes';
import { BaggageAttributes, FetchQueueAttribute, pageSamplerConfig, queuedMillis, SendOnInteractionEnd } from './browser-tracing';
import { TRACER_NAME } from '@/lib/shared/telemetry';

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

/** Resource Timing events as the fetch instrumentation adds them, at milliseconds after an arbitrary origin. */
const timing = (marks: Record<string, number>) =>
  Object.entries(marks).map(([name, ms]): { name: string; time: HrTime } => ({
    name,
    time: [1_800_000_000 + Math.floor(ms / 1_000), Math.round((ms % 1_000) * 1e6)],
  }));

describe('queuedMillis', () => {
  it('is the time before requestStart spent neither on DNS nor on connecting', () => {
    // Request 50 of a Load run, as Chromium timed it: the connection was
    // reused (connect* = fetchStart), and the request waited 4.6 s for one.
    const held = timing({ fetchStart: 0.199, domainLookupStart: 0.199, domainLookupEnd: 0.199, connectStart: 0.199, connectEnd: 0.199, requestStart: 4_595.699, responseStart: 5_196.799, responseEnd: 5_202.899 });
    expect(queuedMillis(held)).toBe(4_595.5);
    // A new connection, opened at once: 1.5 ms of connecting is not queueing.
    const fresh = timing({ fetchStart: 0.5, domainLookupStart: 0.5, domainLookupEnd: 0.5, connectStart: 0.6, connectEnd: 2.1, requestStart: 2.3 });
    expect(queuedMillis(fresh)).toBe(0.3);
  });

  it('is undefined without the timing entry (no events, or a fetch that failed)', () => {
    expect(queuedMillis([])).toBeUndefined();
    expect(queuedMillis(timing({ fetchStart: 1 }))).toBeUndefined();
  });
});

describe('FetchQueueAttribute', () => {
  it("sets fetch.queued_ms on the fetch instrumentation's spans as they end, from their timing events", () => {
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({ spanProcessors: [new FetchQueueAttribute(), new SimpleSpanProcessor(exporter)] });
    const fetchSpan = provider.getTracer('@opentelemetry/instrumentation-fetch').startSpan('GET');
    for (const { name, time } of timing({ fetchStart: 0.2, connectStart: 0.2, connectEnd: 0.2, requestStart: 1_200.2 })) fetchSpan.addEvent(name, time);
    fetchSpan.end();
    const other = provider.getTracer(TRACER_NAME).startSpan('process click');
    for (const { name, time } of timing({ fetchStart: 0, requestStart: 10 })) other.addEvent(name, time);
    other.end();

    const [fetched, click] = exporter.getFinishedSpans();
    expect(fetched?.attributes[ATTR_FETCH_QUEUED_MS]).toBe(1_200);
    expect(click?.attributes).toEqual({});
  });
});
