import { describe, expect, it } from 'vitest';
import { loadConfig } from './env.js';

describe('loadConfig', () => {
  it('defaults to 127.0.0.1:3001 with simulated work on', () => {
    expect(loadConfig({})).toEqual({ port: 3001, host: '127.0.0.1', simulatedWork: true });
  });

  it('reads DATA_PROCESSOR_PORT, DATA_PROCESSOR_HOST and TRACELENS_SIMULATED_WORK', () => {
    expect(
      loadConfig({ DATA_PROCESSOR_PORT: '0', DATA_PROCESSOR_HOST: '0.0.0.0', TRACELENS_SIMULATED_WORK: 'OFF' }),
    ).toEqual({ port: 0, host: '0.0.0.0', simulatedWork: false });
  });

  it('treats blank values as unset rather than as port 0', () => {
    expect(loadConfig({ DATA_PROCESSOR_PORT: '', DATA_PROCESSOR_HOST: ' ', TRACELENS_SIMULATED_WORK: '' })).toEqual({
      port: 3001,
      host: '127.0.0.1',
      simulatedWork: true,
    });
  });

  it.each([
    [{ DATA_PROCESSOR_PORT: 'http' }, /DATA_PROCESSOR_PORT/],
    [{ DATA_PROCESSOR_PORT: '70000' }, /DATA_PROCESSOR_PORT/],
    [{ TRACELENS_SIMULATED_WORK: 'maybe' }, /TRACELENS_SIMULATED_WORK/],
  ])('refuses %j, naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });
});
