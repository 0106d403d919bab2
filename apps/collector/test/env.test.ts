import { describe, expect, it } from 'vitest';
import { ConfigError, readOptions } from '../src/env.js';

describe('the collector configuration', () => {
  it('turns every flag into the store option, in its unit', () => {
    expect(
      readOptions(
        {
          host: '0.0.0.0',
          otlpPort: '0',
          queryPort: '16687',
          db: ':memory:',
          retentionMs: '1h30m',
          maxSpans: '1_000_000',
          maxBodyBytes: '512KiB',
          maxQueueSpans: '5000',
          corsOrigins: 'https://app.example.com, http://localhost:*',
          tailSampling: true,
          tailWaitMs: '250ms',
          tailLatencyMs: '2s',
          tailRatio: '.25',
        },
        {},
      ),
    ).toEqual({
      host: '0.0.0.0',
      otlpPort: 0,
      queryPort: 16687,
      db: ':memory:',
      retentionMs: 5_400_000,
      maxSpans: 1_000_000,
      maxBodyBytes: 524_288,
      maxQueueSpans: 5000,
      corsOrigins: ['https://app.example.com', 'http://localhost:*'],
      tailSampling: true,
      tailWaitMs: 250,
      tailLatencyMs: 2000,
      tailRatio: 0.25,
    });
  });

  it('reads the COLLECTOR_* variables, the flag winning over its variable', () => {
    const env = { COLLECTOR_OTLP_PORT: '4319', COLLECTOR_RETENTION: '7d', COLLECTOR_MAX_BODY: '16MiB', COLLECTOR_TAIL_SAMPLING: 'on', COLLECTOR_DB: 'x.db' };
    expect(readOptions({ db: 'y.db' }, env)).toEqual({
      otlpPort: 4319,
      retentionMs: 7 * 86_400_000,
      maxBodyBytes: 16 * 1024 * 1024,
      tailSampling: true,
      db: 'y.db',
    });
  });

  it('leaves out what was not given, so the store keeps its defaults; an empty variable is unset, except the CORS origins', () => {
    expect(readOptions({}, {})).toEqual({});
    expect(readOptions({}, { COLLECTOR_HOST: '', COLLECTOR_RETENTION: '', COLLECTOR_CORS_ORIGINS: '' })).toEqual({ corsOrigins: [] });
    expect(readOptions({}, { COLLECTOR_RETENTION: '0', COLLECTOR_TAIL_SAMPLING: 'off' })).toEqual({ retentionMs: 0, tailSampling: false });
  });

  it.each([
    [{ otlpPort: '65536' }, {}, '--otlp-port must be a port number from 0 to 65535, got "65536"'],
    [{}, { COLLECTOR_MAX_SPANS: 'lots' }, 'COLLECTOR_MAX_SPANS must be a whole number, got "lots"'],
    [{ maxBodyBytes: '16 parsecs' }, {}, '--max-body must be a size such as 16MiB, 512KiB or a number of bytes, got "16 parsecs"'],
    [{}, { COLLECTOR_TAIL_RATIO: '-0.1' }, 'COLLECTOR_TAIL_RATIO must be a number from 0 to 1, got "-0.1"'],
    [{ retentionMs: '1 day' }, {}, '--retention must be a duration such as 24h, 7d, 90m or 0, got "1 day"'],
    [{ host: '' }, {}, '--host must not be empty'],
  ])('refuses %j %j, naming where the value came from', (flags, env, message) => {
    expect(() => readOptions(flags, env)).toThrow(new ConfigError(message));
  });
});
