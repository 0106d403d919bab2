import { describe, expect, it } from 'vitest';
import { PortError } from './ports.js';
import { appEnvironment, isolatedEnv, resolvePorts } from './stack.js';

const LOOPBACK = { web: '127.0.0.1', dataProcessor: '127.0.0.1', backend: '127.0.0.1' };

describe('the stack', () => {
  it('refuses the same port for two services before starting anything, naming both variables', async () => {
    await expect(resolvePorts({ web: 3001, dataProcessor: 3001 }, 'embedded', LOOPBACK)).rejects.toThrow(
      new PortError('WEB_PORT and DATA_PROCESSOR_PORT are both 3001: each service needs a port of its own'),
    );
    await expect(resolvePorts({ otlp: 4318, jaegerHealth: 4318 }, 'jaeger', LOOPBACK)).rejects.toThrow(/COLLECTOR_OTLP_PORT and JAEGER_HEALTH_PORT are both 4318/);
  });

  it('fills unset ports with distinct free ones, Jaeger\'s only for the jaeger backend', async () => {
    const embedded = await resolvePorts({}, 'embedded', LOOPBACK);
    expect(new Set([embedded.web, embedded.dataProcessor, embedded.otlp, embedded.query]).size).toBe(4);
    expect(embedded.jaegerHealth).toBe(0);
    const jaeger = await resolvePorts({}, 'jaeger', LOOPBACK);
    expect(new Set(Object.values(jaeger)).size).toBe(7);
    const external = await resolvePorts({}, 'external', LOOPBACK);
    expect([external.otlp, external.query]).toEqual([0, 0]);
  });

  it('hands tests and benchmarks an environment the caller\'s shell cannot rewire', () => {
    const env = isolatedEnv({
      PATH: '/bin',
      HOME: '/root',
      OTEL_SDK_DISABLED: 'true',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://elsewhere:4318',
      TRACE_QUERY_URL: 'http://elsewhere:16686',
      WEB_PORT: '80',
      DATA_PROCESSOR_URL: 'http://elsewhere:3001',
      COLLECTOR_DB: '/tmp/x.db',
      TRACELENS_BACKEND: 'jaeger',
      CONTENTION_POOL_SIZE: '4',
      UNSET: undefined,
    });
    expect(env).toEqual({ PATH: '/bin', HOME: '/root', CONTENTION_POOL_SIZE: '4' });
  });

  it('turns the apps\' log export off with Jaeger, which keeps traces only, unless it was asked for', () => {
    expect(appEnvironment({}, 'jaeger', 'http://127.0.0.1:4318').OTEL_LOGS_EXPORTER).toBe('none');
    expect(appEnvironment({ OTEL_LOGS_EXPORTER: 'otlp' }, 'jaeger', 'http://127.0.0.1:4318').OTEL_LOGS_EXPORTER).toBe('otlp');
    expect(appEnvironment({}, 'embedded', 'http://127.0.0.1:4318').OTEL_LOGS_EXPORTER).toBeUndefined();
  });

  it('points the apps at the backend, with a 500 ms export delay unless set', () => {
    expect(appEnvironment({ PATH: '/bin' }, 'embedded', 'http://127.0.0.1:5000')).toEqual({
      PATH: '/bin',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:5000',
      OTEL_BSP_SCHEDULE_DELAY: '500',
    });
    expect(appEnvironment({}, 'embedded', 'http://x', { OTEL_BSP_SCHEDULE_DELAY: '200' }).OTEL_BSP_SCHEDULE_DELAY).toBe('200');
  });
});
