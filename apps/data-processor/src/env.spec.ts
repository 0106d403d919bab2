import { describe, expect, it } from 'vitest';
import { loadConfig } from './env.js';

const DEFAULT_SCENARIOS = {
  contention: { poolSize: 1, workMs: 100, maxQueue: 100 },
  flaky: { failureRate: 0.3, maxAttempts: 4, backoffMs: 50 },
  slow: { delayMs: 2000 },
};

describe('loadConfig', () => {
  it('defaults to 127.0.0.1:3001 with simulated work on and the documented scenario settings', () => {
    expect(loadConfig({})).toEqual({ port: 3001, host: '127.0.0.1', simulatedWork: true, ...DEFAULT_SCENARIOS });
  });

  it('reads DATA_PROCESSOR_PORT, DATA_PROCESSOR_HOST and TRACELENS_SIMULATED_WORK', () => {
    expect(
      loadConfig({ DATA_PROCESSOR_PORT: '0', DATA_PROCESSOR_HOST: '0.0.0.0', TRACELENS_SIMULATED_WORK: 'OFF' }),
    ).toMatchObject({ port: 0, host: '0.0.0.0', simulatedWork: false });
  });

  it('reads the scenario settings', () => {
    expect(
      loadConfig({
        CONTENTION_POOL_SIZE: '3',
        CONTENTION_WORK_MS: '0',
        CONTENTION_MAX_QUEUE: '0',
        FLAKY_FAILURE_RATE: '0.75',
        FLAKY_MAX_ATTEMPTS: '1',
        FLAKY_BACKOFF_MS: '10',
        SLOW_DELAY_MS: '30000',
      }),
    ).toMatchObject({
      contention: { poolSize: 3, workMs: 0, maxQueue: 0 },
      flaky: { failureRate: 0.75, maxAttempts: 1, backoffMs: 10 },
      slow: { delayMs: 30_000 },
    });
  });

  it('treats blank values as unset rather than as port 0', () => {
    expect(
      loadConfig({
        DATA_PROCESSOR_PORT: '',
        DATA_PROCESSOR_HOST: ' ',
        TRACELENS_SIMULATED_WORK: '',
        FLAKY_FAILURE_RATE: ' ',
      }),
    ).toEqual({ port: 3001, host: '127.0.0.1', simulatedWork: true, ...DEFAULT_SCENARIOS });
  });

  it.each([
    [{ DATA_PROCESSOR_PORT: 'http' }, /DATA_PROCESSOR_PORT/],
    [{ DATA_PROCESSOR_PORT: '70000' }, /DATA_PROCESSOR_PORT/],
    [{ TRACELENS_SIMULATED_WORK: 'maybe' }, /TRACELENS_SIMULATED_WORK/],
    [{ CONTENTION_POOL_SIZE: '0' }, /CONTENTION_POOL_SIZE/],
    [{ CONTENTION_WORK_MS: '1.5' }, /CONTENTION_WORK_MS/],
    [{ CONTENTION_MAX_QUEUE: '-1' }, /CONTENTION_MAX_QUEUE/],
    [{ FLAKY_FAILURE_RATE: '1.5' }, /FLAKY_FAILURE_RATE/],
    [{ FLAKY_MAX_ATTEMPTS: '11' }, /FLAKY_MAX_ATTEMPTS/],
    [{ FLAKY_BACKOFF_MS: 'soon' }, /FLAKY_BACKOFF_MS/],
    [{ SLOW_DELAY_MS: '30001' }, /SLOW_DELAY_MS/],
  ])('refuses %j, naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });
});
