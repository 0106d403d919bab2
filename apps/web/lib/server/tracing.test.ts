import { hostname } from 'node:os';
import { propagation, ROOT_CONTEXT, SpanKind, trace, TraceFlags, type Context } from '@opentelemetry/api';
import {
  AlwaysOnSampler,
  BasicTracerProvider,
  InMemorySpanExporter,
  ParentBasedSampler,
  SamplingDecision,
  SimpleSpanProcessor,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import { detectResources, envDetector, hostDetector, type ResourceDetector } from '@opentelemetry/resources';
import { describe, expect, it } from 'vitest';
import { baggageSpanProcessor, DEFAULT_BAGGAGE_KEYS, type BaggageKeys } from '@tracelens/otel-node/baggage';
import { parseWebEnv } from '@/env';
import { ATTR_HOST_ID, ATTR_HOST_NAME, ATTR_NEXT_HTTP_TARGET, ATTR_NEXT_SPAN_TYPE } from '@/lib/shared/attributes';
import type { SamplerConfig } from '@/lib/shared/sampling';
import {
  DROPPED_NEXT_SPAN_TYPES,
  fetchInstrumentationConfig,
  frontendApiOTelConfig,
  frontendApiSampler,
  NextSpanTypesSampler,
  UNTRACED_PATHS,
  UntracedPathsSampler,
} from './tracing';
import { StableStatusCodeProcessor } from './stable-status-code';
import { startStubServer } from '@/test/http-stub';

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

describe('baggageSpanProcessor', () => {
  const withBaggage = (entries: Record<string, string>): Context =>
    propagation.setBaggage(ROOT_CONTEXT, propagation.createBaggage(Object.fromEntries(Object.entries(entries).map(([k, value]) => [k, { value }]))));
  const BAGGAGE = { 'session.id': 's1', 'user.id': 'u1', 'user.email': 'someone@example.com' };

  /** The attributes a span started under BAGGAGE gets with `keys` as the allowlist. */
  function attributesWith(keys: BaggageKeys) {
    const exporter = new InMemorySpanExporter();
    const processor = baggageSpanProcessor(keys);
    const spanProcessors: SpanProcessor[] = [...(processor ? [processor] : []), new SimpleSpanProcessor(exporter)];
    new BasicTracerProvider({ spanProcessors }).getTracer('test').startSpan('s', {}, withBaggage(BAGGAGE)).end();
    return exporter.getFinishedSpans()[0]?.attributes;
  }

  it('copies only the allowlisted entries, by default session.id and user.id', () => {
    expect(attributesWith(DEFAULT_BAGGAGE_KEYS)).toEqual({ 'session.id': 's1', 'user.id': 'u1' });
    expect(attributesWith(['user.email'])).toEqual({ 'user.email': 'someone@example.com' });
  });

  it('copies everything for *, and is left out for an empty list', () => {
    expect(attributesWith('*')).toEqual(BAGGAGE);
    expect(baggageSpanProcessor([])).toBeUndefined();
    expect(attributesWith([])).toEqual({});
  });

  it('runs before the exporting processor in the frontend-api configuration, with the env allowlist', () => {
    const config = frontendApiOTelConfig(parseWebEnv({ TRACELENS_BAGGAGE_KEYS: 'tenant.id' }));
    const processors = config.spanProcessors as SpanProcessor[];
    expect(processors).toHaveLength(2);
    expect(processors[1]).toBeInstanceOf(StableStatusCodeProcessor);
    const exporter = new InMemorySpanExporter();
    new BasicTracerProvider({ spanProcessors: [processors[0] as SpanProcessor, new SimpleSpanProcessor(exporter)] })
      .getTracer('test')
      .startSpan('s', {}, withBaggage({ ...BAGGAGE, 'tenant.id': 't1' }))
      .end();
    expect(exporter.getFinishedSpans()[0]?.attributes).toEqual({ 'tenant.id': 't1' });
    for (const processor of processors) void processor.shutdown();
    expect(frontendApiOTelConfig(parseWebEnv({ TRACELENS_BAGGAGE_KEYS: 'none' })).spanProcessors).toHaveLength(1);
  });
});

describe('frontend-api resource', () => {
  const detected = async (detectors: readonly ResourceDetector[]) => {
    const resource = detectResources({ detectors: [...detectors] });
    await resource.waitForAsyncAttributes?.();
    return resource.attributes;
  };

  it('names the host as the data-processor does, so that the two count as one clock', async () => {
    const detectors = frontendApiOTelConfig(parseWebEnv({})).resourceDetectors ?? [];
    const frontendApi = await detected(detectors);
    // What packages/otel-node's startNodeTracing detects for the data-processor.
    const dataProcessor = await detected([hostDetector]);
    expect(frontendApi[ATTR_HOST_NAME]).toBe(hostname());
    expect(frontendApi[ATTR_HOST_ID]).toBe(dataProcessor[ATTR_HOST_ID]);
    // OTEL_RESOURCE_ATTRIBUTES still counts, as with @vercel/otel's default.
    expect(detectors).toContain(envDetector);
  });
});

describe('frontend-api log export', () => {
  it('batches log records to the OTLP logs URL, and leaves them on stdout only with OTEL_LOGS_EXPORTER=none', () => {
    const processors = frontendApiOTelConfig(parseWebEnv({})).logRecordProcessors;
    expect(processors).toHaveLength(1);
    expect(processors?.[0]).toBeInstanceOf(BatchLogRecordProcessor);
    for (const processor of processors ?? []) void processor.shutdown();
    expect(frontendApiOTelConfig(parseWebEnv({ OTEL_LOGS_EXPORTER: 'none' })).logRecordProcessors).toBeUndefined();
  });
});

describe('frontend-api export', () => {
  // Protobuf, as the data-processor exports and OTLP defaults to: the
  // collector decodes it at half the CPU of JSON.
  it('posts spans and log records as OTLP protobuf to the configured URLs', async () => {
    const collector = await startStubServer((_request, response) => response.writeHead(200, { 'content-type': 'application/x-protobuf' }).end());
    try {
      const config = frontendApiOTelConfig(parseWebEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: collector.url }));
      const tracerProvider = new BasicTracerProvider({ spanProcessors: config.spanProcessors as SpanProcessor[] });
      tracerProvider.getTracer('test').startSpan('exported span').end();
      const loggerProvider = new LoggerProvider({ processors: config.logRecordProcessors ?? [] });
      loggerProvider.getLogger('test').emit({ body: 'exported record' });
      await Promise.all([tracerProvider.shutdown(), loggerProvider.shutdown()]);

      const posts = collector.received.map((r) => `${r.method} ${r.path} ${r.headers['content-type']}`).sort();
      expect(posts).toEqual(['POST /v1/logs application/x-protobuf', 'POST /v1/traces application/x-protobuf']);
      const traces = collector.received.find((r) => r.path === '/v1/traces');
      expect(traces?.body.includes(Buffer.from('exported span'))).toBe(true);
    } finally {
      await collector.close();
    }
  });
});

describe('frontendApiSampler', () => {
  const traceId = '0af7651916cd43dd8448eb211c80319c';
  const parentWith = (flags: TraceFlags) => trace.setSpanContext(ROOT_CONTEXT, { traceId, spanId: 'b7ad6b7169203331', traceFlags: flags, isRemote: true });
  const decide = (tracesSampler: SamplerConfig, context: Context, attributes = { [ATTR_NEXT_HTTP_TARGET]: '/api/process/alice' }) =>
    frontendApiSampler({ tracesSampler }).shouldSample(context, traceId, 'GET', SpanKind.SERVER, attributes, []).decision;

  it('asks the OTEL_TRACES_SAMPLER sampler about requests, parent first for the parent-based ones', () => {
    const ratioZero: SamplerConfig = { name: 'parentbased_traceidratio', ratio: 0 };
    expect(decide(ratioZero, ROOT_CONTEXT)).toBe(SamplingDecision.NOT_RECORD);
    expect(decide(ratioZero, parentWith(TraceFlags.SAMPLED))).toBe(SamplingDecision.RECORD_AND_SAMPLED);
    expect(decide({ name: 'traceidratio', ratio: 0 }, parentWith(TraceFlags.SAMPLED))).toBe(SamplingDecision.NOT_RECORD);
    expect(decide({ name: 'always_on', ratio: 1 }, parentWith(TraceFlags.NONE))).toBe(SamplingDecision.RECORD_AND_SAMPLED);
    expect(decide(parseWebEnv({}).tracesSampler, parentWith(TraceFlags.NONE))).toBe(SamplingDecision.NOT_RECORD);
  });

  it('keeps dropping the plumbing and the bookkeeping spans whatever the sampler', () => {
    const alwaysOn: SamplerConfig = { name: 'always_on', ratio: 1 };
    expect(decide(alwaysOn, parentWith(TraceFlags.SAMPLED), { [ATTR_NEXT_HTTP_TARGET]: '/api/health' })).toBe(SamplingDecision.NOT_RECORD);
    expect(decide(alwaysOn, parentWith(TraceFlags.SAMPLED), { [ATTR_NEXT_SPAN_TYPE]: 'RouteModule.prepare' } as never)).toBe(
      SamplingDecision.NOT_RECORD,
    );
  });
});
