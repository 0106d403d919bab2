import { ROOT_CONTEXT, SpanKind, trace, TraceFlags } from '@opentelemetry/api';
import { AlwaysOnSampler, ParentBasedSampler, SamplingDecision } from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { ATTR_NEXT_HTTP_TARGET, ATTR_NEXT_SPAN_TYPE } from './attributes';
import {
  DROPPED_NEXT_SPAN_TYPES,
  fetchInstrumentationConfig,
  NextSpanTypesSampler,
  UNTRACED_PATHS,
  UntracedPathsSampler,
} from './server-tracing';

describe('UntracedPathsSampler', () => {
  const sampler = new UntracedPathsSampler(new AlwaysOnSampler(), UNTRACED_PATHS);
  const decide = (kind: SpanKind, target?: string): SamplingDecision =>
    sampler.shouldSample(ROOT_CONTEXT, '0af7651916cd43dd8448eb211c80319c', 'GET', kind, target === undefined ? {} : { [ATTR_NEXT_HTTP_TARGET]: target }, [])
      .decision;

  it.each([
    '/api/otlp/v1/traces',
    '/api/otlp/v1/traces?x=1',
    '/api/health',
    '/api/health/',
    '/traces',
    '/traces?service=web-ui&_rsc=1',
    '/traces/0af7651916cd43dd8448eb211c80319c?span=b7ad6b7169203331',
    '/api/traces/0af7651916cd43dd8448eb211c80319c/live',
    '/api/operations?service=web-ui',
  ])('drops the server span of %s', (target) => {
    expect(decide(SpanKind.SERVER, target)).toBe(SamplingDecision.NOT_RECORD);
  });

  it.each(['/api/process/alice', '/', '/api/healthz', '/api/otlp/v1/tracesX', '/tracesX'])('asks the delegate about %s', (target) => {
    expect(decide(SpanKind.SERVER, target)).toBe(SamplingDecision.RECORD_AND_SAMPLED);
  });

  it('only looks at server spans', () => {
    expect(decide(SpanKind.CLIENT, '/api/health')).toBe(SamplingDecision.RECORD_AND_SAMPLED);
    expect(decide(SpanKind.INTERNAL)).toBe(SamplingDecision.RECORD_AND_SAMPLED);
  });
});

describe('fetchInstrumentationConfig', () => {
  it('propagates to the data-processor and ignores the collector, as normalised URL prefixes', () => {
    expect(
      fetchInstrumentationConfig({ dataProcessorUrl: 'http://Data-Processor:3001', otlpTracesUrl: 'http://collector:4318/v1/traces' }),
    ).toEqual({
      propagateContextUrls: ['http://data-processor:3001/'],
      ignoreUrls: ['http://collector:4318/v1/traces'],
    });
  });
});

describe('NextSpanTypesSampler', () => {
  const sampler = new NextSpanTypesSampler(new ParentBasedSampler({ root: new AlwaysOnSampler() }), DROPPED_NEXT_SPAN_TYPES);
  const traceId = '0af7651916cd43dd8448eb211c80319c';
  const sampledParent = trace.setSpanContext(ROOT_CONTEXT, { traceId, spanId: 'b7ad6b7169203331', traceFlags: TraceFlags.SAMPLED });
  const decide = (spanType: string | undefined, context = sampledParent): SamplingDecision =>
    sampler.shouldSample(context, traceId, 'span', SpanKind.INTERNAL, spanType === undefined ? {} : { [ATTR_NEXT_SPAN_TYPE]: spanType }, [])
      .decision;

  it.each(DROPPED_NEXT_SPAN_TYPES)('drops Next.js %s spans', (spanType) => {
    expect(decide(spanType)).toBe(SamplingDecision.NOT_RECORD);
  });

  it.each(['BaseServer.handleRequest', 'AppRouteRouteHandlers.runHandler', 'AppRender.fetch', undefined])(
    'asks the delegate about %s',
    (spanType) => {
      expect(decide(spanType)).toBe(SamplingDecision.RECORD_AND_SAMPLED);
      expect(decide(spanType, ROOT_CONTEXT)).toBe(SamplingDecision.RECORD_AND_SAMPLED);
    },
  );

  it('keeps the parent-based decision of an unsampled parent', () => {
    const unsampledParent = trace.setSpanContext(ROOT_CONTEXT, { traceId, spanId: 'b7ad6b7169203331', traceFlags: TraceFlags.NONE });
    expect(decide('BaseServer.handleRequest', unsampledParent)).toBe(SamplingDecision.NOT_RECORD);
  });
});
