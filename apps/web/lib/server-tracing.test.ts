import { ROOT_CONTEXT, SpanKind } from '@opentelemetry/api';
import { AlwaysOnSampler, SamplingDecision } from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { ATTR_NEXT_HTTP_TARGET } from './attributes';
import { fetchInstrumentationConfig, UNTRACED_PATHS, UntracedPathsSampler } from './server-tracing';

describe('UntracedPathsSampler', () => {
  const sampler = new UntracedPathsSampler(new AlwaysOnSampler(), UNTRACED_PATHS);
  const decide = (kind: SpanKind, target?: string): SamplingDecision =>
    sampler.shouldSample(ROOT_CONTEXT, '0af7651916cd43dd8448eb211c80319c', 'GET', kind, target === undefined ? {} : { [ATTR_NEXT_HTTP_TARGET]: target }, [])
      .decision;

  it.each(['/api/otlp/v1/traces', '/api/otlp/v1/traces?x=1', '/api/health', '/api/health/'])('drops the server span of %s', (target) => {
    expect(decide(SpanKind.SERVER, target)).toBe(SamplingDecision.NOT_RECORD);
  });

  it.each(['/api/process/alice', '/', '/api/healthz', '/api/otlp/v1/tracesX'])('asks the delegate about %s', (target) => {
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
