import { describe, expect, it } from 'vitest';
import { LauncherConfigError, readLauncherEnv } from './env.js';

describe('the launcher environment', () => {
  it('defaults: the embedded store, the four usual ports, free ports for Jaeger, loopback everywhere', () => {
    const settings = readLauncherEnv({});
    expect(settings.backend).toBe('embedded');
    expect(settings.ports).toEqual({ web: 3000, dataProcessor: 3001, otlp: 4318, query: 16686, jaegerOtlpGrpc: 0, jaegerQueryGrpc: 0, jaegerHealth: 0 });
    expect(settings.hosts).toEqual({ web: '127.0.0.1', dataProcessor: '127.0.0.1', backend: '127.0.0.1' });
  });

  it('takes the backend, ports and hosts from their variables', () => {
    const settings = readLauncherEnv({ TRACELENS_BACKEND: ' Jaeger ', WEB_PORT: '4000', JAEGER_HEALTH_PORT: '14000', WEB_HOST: '0.0.0.0' });
    expect(settings.backend).toBe('jaeger');
    expect(settings.ports.web).toBe(4000);
    expect(settings.ports.jaegerHealth).toBe(14000);
    expect(settings.hosts.web).toBe('0.0.0.0');
  });

  it('uses a Jaeger you run when both of its URLs are given', () => {
    const settings = readLauncherEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://jaeger:4318', TRACE_QUERY_URL: 'http://jaeger:16686' });
    expect(settings.backend).toBe('external');
    expect(settings.external).toEqual({ otlpUrl: 'http://jaeger:4318', queryUrl: 'http://jaeger:16686' });
  });

  it('refuses an external backend without its URLs, and one URL with a backend it starts', () => {
    expect(() => readLauncherEnv({ TRACELENS_BACKEND: 'external', TRACE_QUERY_URL: 'http://jaeger:16686' })).toThrow(
      /TRACELENS_BACKEND=external needs OTEL_EXPORTER_OTLP_ENDPOINT/,
    );
    expect(() => readLauncherEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://elsewhere:4318' })).toThrow(
      /OTEL_EXPORTER_OTLP_ENDPOINT is set, but the embedded store \(the default\) runs its own backend/,
    );
    expect(() => readLauncherEnv({ TRACELENS_BACKEND: 'jaeger', TRACE_QUERY_URL: 'http://x:16686', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://x:4318' })).toThrow(
      /are set, but TRACELENS_BACKEND=jaeger runs its own backend/,
    );
  });

  it('names the variable of a bad value', () => {
    expect(() => readLauncherEnv({ TRACELENS_BACKEND: 'zipkin' })).toThrow("TRACELENS_BACKEND must be embedded, jaeger or external");
    expect(() => readLauncherEnv({ DATA_PROCESSOR_PORT: '3o01' })).toThrow(LauncherConfigError);
    expect(() => readLauncherEnv({ DATA_PROCESSOR_PORT: '3o01' })).toThrow('DATA_PROCESSOR_PORT must be a port number');
  });
});
