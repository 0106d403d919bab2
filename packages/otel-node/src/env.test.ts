import { describe, expect, it } from 'vitest';
import { readOtelEnv } from './env.js';

describe('readOtelEnv', () => {
  it('leaves everything unset and the SDK enabled when nothing is configured', () => {
    expect(readOtelEnv({})).toEqual({
      env: {
        OTEL_SDK_DISABLED: false,
        OTEL_SERVICE_NAME: undefined,
        OTEL_EXPORTER_OTLP_TRACES_TIMEOUT: undefined,
        OTEL_EXPORTER_OTLP_TIMEOUT: undefined,
        OTEL_EXPORTER_OTLP_LOGS_TIMEOUT: undefined,
        OTEL_LOG_LEVEL: undefined,
        OTEL_LOGS_EXPORTER: undefined,
        OTEL_BLRP_SCHEDULE_DELAY: undefined,
        OTEL_BLRP_EXPORT_TIMEOUT: undefined,
        OTEL_BLRP_MAX_QUEUE_SIZE: undefined,
        OTEL_BLRP_MAX_EXPORT_BATCH_SIZE: undefined,
        TRACELENS_BAGGAGE_KEYS: undefined,
      },
      warnings: [],
    });
  });

  it.each([
    ['true', true],
    [' TRUE ', true],
    ['True', true],
    ['false', false],
    ['1', false],
    ['yes', false],
  ])('reads OTEL_SDK_DISABLED=%j as %s (only "true" disables, per the spec)', (raw, disabled) => {
    expect(readOtelEnv({ OTEL_SDK_DISABLED: raw }).env.OTEL_SDK_DISABLED).toBe(disabled);
  });

  it('parses timeouts as milliseconds and the log level case-insensitively', () => {
    const { env, warnings } = readOtelEnv({
      OTEL_EXPORTER_OTLP_TRACES_TIMEOUT: '1500',
      OTEL_EXPORTER_OTLP_TIMEOUT: '2500',
      OTEL_LOG_LEVEL: 'DEBUG',
      OTEL_SERVICE_NAME: ' checkout ',
    });
    expect(warnings).toEqual([]);
    expect(env).toMatchObject({
      OTEL_EXPORTER_OTLP_TRACES_TIMEOUT: 1500,
      OTEL_EXPORTER_OTLP_TIMEOUT: 2500,
      OTEL_LOG_LEVEL: 'debug',
      OTEL_SERVICE_NAME: 'checkout',
    });
  });

  it('treats empty values as unset, as the spec requires', () => {
    const { env, warnings } = readOtelEnv({ OTEL_SERVICE_NAME: '', OTEL_EXPORTER_OTLP_TIMEOUT: '  ' });
    expect(warnings).toEqual([]);
    expect(env.OTEL_SERVICE_NAME).toBeUndefined();
    expect(env.OTEL_EXPORTER_OTLP_TIMEOUT).toBeUndefined();
  });

  it('drops invalid values with a warning and keeps the valid ones', () => {
    const { env, warnings } = readOtelEnv({
      OTEL_EXPORTER_OTLP_TIMEOUT: 'soon',
      OTEL_EXPORTER_OTLP_TRACES_TIMEOUT: '-5',
      OTEL_LOG_LEVEL: 'loud',
      OTEL_SERVICE_NAME: 'checkout',
    });
    expect(env.OTEL_EXPORTER_OTLP_TIMEOUT).toBeUndefined();
    expect(env.OTEL_EXPORTER_OTLP_TRACES_TIMEOUT).toBeUndefined();
    expect(env.OTEL_LOG_LEVEL).toBeUndefined();
    expect(env.OTEL_SERVICE_NAME).toBe('checkout');
    expect(warnings).toHaveLength(3);
    expect(warnings.join('\n')).toMatch(/OTEL_EXPORTER_OTLP_TIMEOUT="soon" ignored/);
    expect(warnings.join('\n')).toMatch(/OTEL_EXPORTER_OTLP_TRACES_TIMEOUT="-5" ignored/);
    expect(warnings.join('\n')).toMatch(/OTEL_LOG_LEVEL="loud" ignored/);
  });

  it('reads the log export variables', () => {
    const { env, warnings } = readOtelEnv({
      OTEL_LOGS_EXPORTER: ' None ',
      OTEL_EXPORTER_OTLP_LOGS_TIMEOUT: '700',
      OTEL_BLRP_SCHEDULE_DELAY: '200',
      OTEL_BLRP_EXPORT_TIMEOUT: '900',
      OTEL_BLRP_MAX_QUEUE_SIZE: '100',
      OTEL_BLRP_MAX_EXPORT_BATCH_SIZE: '10',
    });
    expect(warnings).toEqual([]);
    expect(env).toMatchObject({
      OTEL_LOGS_EXPORTER: 'none',
      OTEL_EXPORTER_OTLP_LOGS_TIMEOUT: 700,
      OTEL_BLRP_SCHEDULE_DELAY: 200,
      OTEL_BLRP_EXPORT_TIMEOUT: 900,
      OTEL_BLRP_MAX_QUEUE_SIZE: 100,
      OTEL_BLRP_MAX_EXPORT_BATCH_SIZE: 10,
    });
  });

  it('ignores an OTEL_LOGS_EXPORTER it does not support, with a warning', () => {
    const { env, warnings } = readOtelEnv({ OTEL_LOGS_EXPORTER: 'console' });
    expect(env.OTEL_LOGS_EXPORTER).toBeUndefined();
    expect(warnings).toEqual([expect.stringMatching(/^OTEL_LOGS_EXPORTER="console" ignored/)]);
  });

  it.each([
    ['session.id,user.id', ['session.id', 'user.id']],
    [' session.id , , tenant ', ['session.id', 'tenant']],
    ['*', '*'],
    ['user.id,*', '*'],
    ['none', []],
    ['NONE', []],
  ])('reads TRACELENS_BAGGAGE_KEYS=%j as %j', (raw, keys) => {
    expect(readOtelEnv({ TRACELENS_BAGGAGE_KEYS: raw })).toEqual({
      env: expect.objectContaining({ TRACELENS_BAGGAGE_KEYS: keys }),
      warnings: [],
    });
  });

  it('ignores TRACELENS_BAGGAGE_KEYS with a key baggage cannot carry, naming it', () => {
    const { env, warnings } = readOtelEnv({ TRACELENS_BAGGAGE_KEYS: 'session.id,user id' });
    expect(env.TRACELENS_BAGGAGE_KEYS).toBeUndefined();
    expect(warnings).toEqual([expect.stringMatching(/TRACELENS_BAGGAGE_KEYS=.* ignored: not baggage keys: user id/)]);
  });
});
