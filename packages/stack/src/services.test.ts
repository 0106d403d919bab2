import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectorService, dataProcessorService, packageDir, webService } from './services.js';

describe('the service definitions', () => {
  it('bind the web app to the host given, in start and in dev (Next.js binds every interface otherwise)', () => {
    for (const mode of ['start', 'dev'] as const) {
      const web = webService({ mode, host: '127.0.0.1', port: 4000, env: { NODE_ENV: 'test', PATH: '/bin' } });
      expect(web.args.slice(-5)).toEqual([mode, '--port', '4000', '--hostname', '127.0.0.1']);
      expect(web.healthUrl).toBe('http://127.0.0.1:4000/api/health');
      // next dev sets NODE_ENV itself and warns about any other value.
      expect(web.env.NODE_ENV).toBe(mode === 'start' ? 'production' : undefined);
    }
  });

  it('health-check a wildcard bind on loopback', () => {
    expect(webService({ mode: 'start', host: '0.0.0.0', port: 4000, env: {} }).healthUrl).toBe('http://127.0.0.1:4000/api/health');
  });

  it('start the data-processor through its bin, the one place that loads tracing first', () => {
    const dp = dataProcessorService({ host: '127.0.0.1', port: 4001, env: {}, nodeArgs: ['--cpu-prof'] });
    expect(dp.args).toEqual(['--cpu-prof', path.join(packageDir('@tracelens/data-processor'), 'bin', 'tracelens-data-processor.js')]);
    expect(dp.env).toMatchObject({ DATA_PROCESSOR_HOST: '127.0.0.1', DATA_PROCESSOR_PORT: '4001' });
  });

  it('name the collector\'s ports with flags, which win over an inherited COLLECTOR_*', () => {
    const collector = collectorService({ host: '127.0.0.1', otlpPort: 4318, queryPort: 16686, db: '/tmp/t.db', env: { COLLECTOR_OTLP_PORT: '9' } });
    expect(collector.args.slice(1)).toEqual(['--host', '127.0.0.1', '--otlp-port', '4318', '--query-port', '16686', '--db', '/tmp/t.db']);
  });
});
