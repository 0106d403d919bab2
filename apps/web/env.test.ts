import { describe, expect, it } from 'vitest';
import { parseBuildEnv, parseWebEnv } from './env';

describe('parseWebEnv', () => {
  it('applies the documented defaults', () => {
    expect(parseWebEnv({})).toEqual({
      dataProcessorUrl: 'http://127.0.0.1:3001',
      dataProcessorTimeoutMs: 10_000,
      otlpTracesUrl: 'http://127.0.0.1:4318/v1/traces',
      otlpLogsUrl: 'http://127.0.0.1:4318/v1/logs',
      logsExporter: 'otlp',
      simulatedWork: true,
      otlpRelayMaxBytes: 1_048_576,
      otlpRelayTimeoutMs: 5_000,
      traceQueryUrl: 'http://127.0.0.1:16686',
      jaegerUiUrl: null,
      fanoutConcurrency: 3,
      timeoutDeadlineMs: 1_000,
      baggageKeys: ['session.id', 'user.id'],
      tracesSampler: { name: 'parentbased_always_on', ratio: 1 },
    });
  });

  it('reads the baggage allowlist: keys, * or none', () => {
    expect(parseWebEnv({ TRACELENS_BAGGAGE_KEYS: ' session.id , tenant.id,' }).baggageKeys).toEqual(['session.id', 'tenant.id']);
    expect(parseWebEnv({ TRACELENS_BAGGAGE_KEYS: 'a,*' }).baggageKeys).toBe('*');
    expect(parseWebEnv({ TRACELENS_BAGGAGE_KEYS: 'None' }).baggageKeys).toEqual([]);
    expect(parseWebEnv({ TRACELENS_BAGGAGE_KEYS: ' ' }).baggageKeys).toEqual(['session.id', 'user.id']);
    expect(() => parseWebEnv({ TRACELENS_BAGGAGE_KEYS: 'ok,not a key' })).toThrow(/not baggage keys: not a key[\s\S]*at TRACELENS_BAGGAGE_KEYS/);
  });

  it('reads the head sampler the spec way and stops on a bad one', () => {
    expect(parseWebEnv({ OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.1' }).tracesSampler).toEqual({
      name: 'parentbased_traceidratio',
      ratio: 0.1,
    });
    expect(parseWebEnv({ OTEL_TRACES_SAMPLER: 'always_off' }).tracesSampler).toEqual({ name: 'always_off', ratio: 1 });
    expect(() => parseWebEnv({ OTEL_TRACES_SAMPLER: 'sometimes' })).toThrow(/must be one of always_on[\s\S]*at OTEL_TRACES_SAMPLER$/);
    expect(() => parseWebEnv({ OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '2' })).toThrow(/from 0 to 1 for traceidratio[\s\S]*at OTEL_TRACES_SAMPLER_ARG$/);
  });

  it('treats blank variables as unset', () => {
    expect(parseWebEnv({ DATA_PROCESSOR_URL: '', OTEL_EXPORTER_OTLP_ENDPOINT: ' ', OTLP_RELAY_MAX_BYTES: '' })).toMatchObject({
      dataProcessorUrl: 'http://127.0.0.1:3001',
      otlpTracesUrl: 'http://127.0.0.1:4318/v1/traces',
      otlpRelayMaxBytes: 1_048_576,
    });
  });

  it('appends /v1/traces to OTEL_EXPORTER_OTLP_ENDPOINT and takes OTEL_EXPORTER_OTLP_TRACES_ENDPOINT as is', () => {
    expect(parseWebEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' }).otlpTracesUrl).toBe('http://collector:4318/v1/traces');
    expect(
      parseWebEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://other:4318/custom' })
        .otlpTracesUrl,
    ).toBe('http://other:4318/custom');
  });

  it('appends /v1/logs to OTEL_EXPORTER_OTLP_ENDPOINT, takes OTEL_EXPORTER_OTLP_LOGS_ENDPOINT as is, and reads OTEL_LOGS_EXPORTER', () => {
    expect(parseWebEnv({})).toMatchObject({ otlpLogsUrl: 'http://127.0.0.1:4318/v1/logs', logsExporter: 'otlp' });
    expect(parseWebEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' }).otlpLogsUrl).toBe('http://collector:4318/v1/logs');
    expect(parseWebEnv({ OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: 'http://other:4318/logs' }).otlpLogsUrl).toBe('http://other:4318/logs');
    expect(parseWebEnv({ OTEL_LOGS_EXPORTER: ' NONE ' }).logsExporter).toBe('none');
    expect(() => parseWebEnv({ OTEL_LOGS_EXPORTER: 'console' })).toThrow(/OTEL_LOGS_EXPORTER/);
  });

  it('reads the switches and numbers', () => {
    expect(
      parseWebEnv({
        DATA_PROCESSOR_URL: 'http://data-processor:3001/',
        TRACELENS_SIMULATED_WORK: 'OFF',
        OTLP_RELAY_MAX_BYTES: '2048',
        DATA_PROCESSOR_TIMEOUT_MS: '250',
      }),
    ).toMatchObject({ dataProcessorUrl: 'http://data-processor:3001', simulatedWork: false, otlpRelayMaxBytes: 2048, dataProcessorTimeoutMs: 250 });
  });

  it('reads the trace query API and the optional Jaeger UI, without trailing slashes', () => {
    expect(parseWebEnv({ TRACE_QUERY_URL: 'http://jaeger:16686/', JAEGER_UI_URL: 'https://jaeger.example.com/ui/' })).toMatchObject({
      traceQueryUrl: 'http://jaeger:16686',
      jaegerUiUrl: 'https://jaeger.example.com/ui',
    });
    expect(parseWebEnv({ JAEGER_UI_URL: ' ' }).jaegerUiUrl).toBeNull();
  });

  it('reads the scenario settings within their bounds', () => {
    expect(parseWebEnv({ FANOUT_CONCURRENCY: '5', TIMEOUT_DEADLINE_MS: '250' })).toMatchObject({ fanoutConcurrency: 5, timeoutDeadlineMs: 250 });
    expect(() => parseWebEnv({ FANOUT_CONCURRENCY: '21' })).toThrow(/FANOUT_CONCURRENCY/);
    expect(() => parseWebEnv({ TIMEOUT_DEADLINE_MS: '10' })).toThrow(/TIMEOUT_DEADLINE_MS/);
  });

  it('names every bad variable in one error', () => {
    expect(() =>
      parseWebEnv({ DATA_PROCESSOR_URL: 'ftp://x', TRACELENS_SIMULATED_WORK: 'maybe', OTLP_RELAY_MAX_BYTES: '-1', JAEGER_UI_URL: 'jaeger' }),
    ).toThrow(/DATA_PROCESSOR_URL[\s\S]*TRACELENS_SIMULATED_WORK[\s\S]*OTLP_RELAY_MAX_BYTES[\s\S]*JAEGER_UI_URL/);
  });
});

describe('parseBuildEnv', () => {
  it('builds browser tracing in and no standalone server by default, blank as unset', () => {
    expect(parseBuildEnv({})).toEqual({ browserTracing: 'on', output: undefined });
    expect(parseBuildEnv({ TRACELENS_BROWSER_TRACING: ' ', TRACELENS_NEXT_OUTPUT: '' })).toEqual({ browserTracing: 'on', output: undefined });
  });

  it('reads both switches, case aside, and refuses anything else naming the variable', () => {
    expect(parseBuildEnv({ TRACELENS_BROWSER_TRACING: 'OFF', TRACELENS_NEXT_OUTPUT: 'Standalone' })).toEqual({ browserTracing: 'off', output: 'standalone' });
    expect(() => parseBuildEnv({ TRACELENS_BROWSER_TRACING: 'yes' })).toThrow(/must be "on" or "off"[\s\S]*at TRACELENS_BROWSER_TRACING/);
    expect(() => parseBuildEnv({ TRACELENS_NEXT_OUTPUT: 'export' })).toThrow(/must be "standalone" or unset[\s\S]*at TRACELENS_NEXT_OUTPUT/);
  });
});
