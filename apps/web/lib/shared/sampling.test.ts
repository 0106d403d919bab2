import { ROOT_CONTEXT, SpanKind, trace, TraceFlags } from '@opentelemetry/api';
import { SamplingDecision } from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { createSampler, DEFAULT_BROWSER_SAMPLER, DEFAULT_SERVER_SAMPLER, parseSamplerConfig, SAMPLER_NAMES, type SamplerConfig } from './sampling';

const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const parent = (flags: TraceFlags) => trace.setSpanContext(ROOT_CONTEXT, { traceId: TRACE_ID, spanId: 'b7ad6b7169203331', traceFlags: flags, isRemote: true });

describe('parseSamplerConfig', () => {
  it('defaults to parent-based always-on when unset or blank', () => {
    expect(parseSamplerConfig(undefined, undefined)).toEqual({ ok: true, config: DEFAULT_SERVER_SAMPLER });
    expect(parseSamplerConfig('  ', '0.5')).toEqual({ ok: true, config: { name: 'parentbased_always_on', ratio: 1 } });
    expect(parseSamplerConfig(undefined, undefined, DEFAULT_BROWSER_SAMPLER)).toEqual({ ok: true, config: { name: 'always_on', ratio: 1 } });
  });

  it.each(SAMPLER_NAMES)('knows %s, in any case', (name) => {
    expect(parseSamplerConfig(` ${name.toUpperCase()} `, undefined)).toEqual({ ok: true, config: { name, ratio: 1 } });
  });

  it('reads the ratio of the ratio samplers only, 1 when unset', () => {
    expect(parseSamplerConfig('parentbased_traceidratio', '0.25')).toEqual({ ok: true, config: { name: 'parentbased_traceidratio', ratio: 0.25 } });
    expect(parseSamplerConfig('traceidratio', '0')).toEqual({ ok: true, config: { name: 'traceidratio', ratio: 0 } });
    expect(parseSamplerConfig('traceidratio', '')).toEqual({ ok: true, config: { name: 'traceidratio', ratio: 1 } });
    // The spec's argument is sampler-specific: the others ignore it, whatever it is.
    expect(parseSamplerConfig('always_on', 'nonsense')).toEqual({ ok: true, config: { name: 'always_on', ratio: 1 } });
  });

  it('refuses unknown names and ratios outside 0 to 1, naming the variable', () => {
    expect(parseSamplerConfig('jaeger_remote', undefined)).toMatchObject({ ok: false, variable: 'OTEL_TRACES_SAMPLER', error: expect.stringMatching(/one of always_on/) });
    for (const arg of ['1.5', '-0.1', 'half', 'NaN', 'Infinity']) {
      expect(parseSamplerConfig('traceidratio', arg)).toMatchObject({ ok: false, variable: 'OTEL_TRACES_SAMPLER_ARG' });
    }
  });
});

describe('createSampler', () => {
  const decide = (config: SamplerConfig, context = ROOT_CONTEXT) =>
    createSampler(config).shouldSample(context, TRACE_ID, 'span', SpanKind.SERVER, {}, []).decision;
  const { RECORD_AND_SAMPLED: SAMPLED, NOT_RECORD } = SamplingDecision;

  it.each<[SamplerConfig, SamplingDecision, SamplingDecision, SamplingDecision]>([
    // config, root, sampled parent, unsampled parent
    [{ name: 'always_on', ratio: 1 }, SAMPLED, SAMPLED, SAMPLED],
    [{ name: 'always_off', ratio: 1 }, NOT_RECORD, NOT_RECORD, NOT_RECORD],
    [{ name: 'traceidratio', ratio: 0 }, NOT_RECORD, NOT_RECORD, NOT_RECORD],
    [{ name: 'traceidratio', ratio: 1 }, SAMPLED, SAMPLED, SAMPLED],
    [{ name: 'parentbased_always_on', ratio: 1 }, SAMPLED, SAMPLED, NOT_RECORD],
    [{ name: 'parentbased_always_off', ratio: 1 }, NOT_RECORD, SAMPLED, NOT_RECORD],
    [{ name: 'parentbased_traceidratio', ratio: 0 }, NOT_RECORD, SAMPLED, NOT_RECORD],
    [{ name: 'parentbased_traceidratio', ratio: 1 }, SAMPLED, SAMPLED, NOT_RECORD],
  ])('%o decides %s at the root, %s under a sampled parent, %s under an unsampled one', (config, root, sampled, unsampled) => {
    expect(decide(config)).toBe(root);
    expect(decide(config, parent(TraceFlags.SAMPLED))).toBe(sampled);
    expect(decide(config, parent(TraceFlags.NONE))).toBe(unsampled);
  });

  it('keeps the same traces at the same ratio, whichever side decides', () => {
    const ids = Array.from({ length: 200 }, (_, i) => `${i.toString(16).padStart(8, '0')}${'5'.repeat(16)}${((i * 2654435761) >>> 0).toString(16).padStart(8, '0')}`);
    const kept = (config: SamplerConfig) =>
      ids.filter((id) => createSampler(config).shouldSample(ROOT_CONTEXT, id, 's', SpanKind.INTERNAL, {}, []).decision === SAMPLED);
    expect(kept({ name: 'traceidratio', ratio: 0.5 })).toEqual(kept({ name: 'parentbased_traceidratio', ratio: 0.5 }));
  });
});
