import { existsSync, readFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import { performance } from 'node:perf_hooks';
import {
  context,
  diag,
  propagation,
  ROOT_CONTEXT,
  trace,
  type MeterProvider,
  type TracerProvider,
} from '@opentelemetry/api';
import { logs } from '@opentelemetry/api-logs';
import type { Instrumentation, InstrumentationConfig } from '@opentelemetry/instrumentation';
import { InMemoryLogRecordExporter, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import {
  ATTR_SERVICE_NAME,
  ATTR_SERVICE_VERSION,
  ATTR_TELEMETRY_SDK_LANGUAGE,
  ATTR_TELEMETRY_SDK_NAME,
} from '@opentelemetry/semantic-conventions';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLogger, type LogSink } from './logger.js';
import { startNodeTracing, type NodeTracing, type NodeTracingOptions } from './tracing.js';
import { otelVariableNames } from './env.js';

class LineSink implements LogSink {
  readonly lines: string[] = [];
  write(line: string): void {
    this.lines.push(line);
  }
  messages(): string[] {
    return this.lines.map((line) => String((JSON.parse(line) as { msg: unknown }).msg));
  }
}

/** Records what startNodeTracing does to an instrumentation, without patching anything. */
class FakeInstrumentation implements Instrumentation {
  readonly instrumentationName = 'fake';
  readonly instrumentationVersion = '0.0.0';
  readonly calls: string[] = [];
  tracerProvider: TracerProvider | undefined;
  private config: InstrumentationConfig = { enabled: true };
  enable(): void {
    this.calls.push('enable');
  }
  disable(): void {
    this.calls.push('disable');
  }
  setTracerProvider(tracerProvider: TracerProvider): void {
    this.tracerProvider = tracerProvider;
  }
  setMeterProvider(_meterProvider: MeterProvider): void {}
  setConfig(config: InstrumentationConfig): void {
    this.config = config;
  }
  getConfig(): InstrumentationConfig {
    return this.config;
  }
}

/** A port nothing listens on: bound by us, then released. */
async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

interface ReceivedRequest {
  readonly method: string | undefined;
  readonly path: string | undefined;
  readonly contentType: string | undefined;
  readonly bytes: number;
}

/** An HTTP server on a free port; `respond: false` makes it a black hole that never answers. */
async function startReceiver(respond: boolean) {
  const requests: ReceivedRequest[] = [];
  const server: Server = createHttpServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      requests.push({
        method: req.method,
        path: req.url,
        contentType: req.headers['content-type'],
        bytes: Buffer.concat(chunks).length,
      });
      if (respond) res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('startNodeTracing', () => {
  let tracing: NodeTracing | undefined;
  const cleanups: (() => Promise<void>)[] = [];

  /** No log export unless a test asks for it (`logRecordProcessors: undefined` for the default OTLP one). */
  function start(options: Partial<NodeTracingOptions> = {}): NodeTracing {
    tracing = startNodeTracing({ serviceName: 'checkout', logRecordProcessors: [], ...options });
    return tracing;
  }

  /**
   * SimpleSpanProcessor exports only once the resource's async attributes
   * (host.id) have settled, so tests `forceFlush()` before reading the exporter.
   */
  function inMemory() {
    const exporter = new InMemorySpanExporter();
    return { exporter, spanProcessors: [new SimpleSpanProcessor(exporter)] };
  }

  beforeEach(() => {
    // An OTEL_* variable in the developer's or CI's shell must not leak in.
    for (const key of otelVariableNames()) vi.stubEnv(key, undefined);
  });

  afterEach(async () => {
    await tracing?.shutdown();
    tracing = undefined;
    for (const cleanup of cleanups.splice(0)) await cleanup();
    vi.unstubAllEnvs();
  });

  describe('resource', () => {
    it('carries service.name, service.version, caller attributes and the SDK defaults', async () => {
      const { exporter, spanProcessors } = inMemory();
      const started = start({
        serviceVersion: '1.2.3',
        resourceAttributes: { 'team.name': 'payments' },
        spanProcessors,
      });

      trace.getTracer('test').startSpan('op').end();
      await started.forceFlush();

      const attributes = exporter.getFinishedSpans()[0]?.resource.attributes;
      expect(attributes).toMatchObject({
        [ATTR_SERVICE_NAME]: 'checkout',
        [ATTR_SERVICE_VERSION]: '1.2.3',
        'team.name': 'payments',
        [ATTR_TELEMETRY_SDK_LANGUAGE]: 'nodejs',
        [ATTR_TELEMETRY_SDK_NAME]: 'opentelemetry',
      });
    });

    it('names the host (host.name, host.id), which trace viewers key clock-skew adjustment on', async () => {
      const { exporter, spanProcessors } = inMemory();
      const started = start({ spanProcessors });

      trace.getTracer('test').startSpan('op').end();
      await started.forceFlush();

      const attributes = exporter.getFinishedSpans()[0]?.resource.attributes ?? {};
      // The keys as Jaeger's adjuster and apps/web's read them (incubating semconv, hence literals).
      expect(attributes['host.name']).toBe(hostname());
      // host.id is the machine id, where the machine has one (a container may not).
      if (existsSync('/etc/machine-id')) expect(attributes['host.id']).toBe(readFileSync('/etc/machine-id', 'utf8').trim());
    });

    it('merges OTEL_RESOURCE_ATTRIBUTES underneath the code-provided attributes (spec precedence)', async () => {
      vi.stubEnv(
        'OTEL_RESOURCE_ATTRIBUTES',
        'deployment.environment.name=staging,service.version=9.9.9,service.name=from-attributes',
      );
      const { exporter, spanProcessors } = inMemory();
      const started = start({ serviceVersion: '1.2.3', spanProcessors });

      trace.getTracer('test').startSpan('op').end();
      await started.forceFlush();

      expect(exporter.getFinishedSpans()[0]?.resource.attributes).toMatchObject({
        'deployment.environment.name': 'staging',
        [ATTR_SERVICE_VERSION]: '1.2.3',
        [ATTR_SERVICE_NAME]: 'checkout',
      });
    });

    it('fills service.version from OTEL_RESOURCE_ATTRIBUTES when the caller has none', async () => {
      vi.stubEnv('OTEL_RESOURCE_ATTRIBUTES', 'service.version=9.9.9');
      const { exporter, spanProcessors } = inMemory();
      const started = start({ spanProcessors });

      trace.getTracer('test').startSpan('op').end();
      await started.forceFlush();

      expect(exporter.getFinishedSpans()[0]?.resource.attributes[ATTR_SERVICE_VERSION]).toBe('9.9.9');
    });

    it('lets OTEL_SERVICE_NAME override the service name', async () => {
      vi.stubEnv('OTEL_SERVICE_NAME', 'checkout-canary');
      vi.stubEnv('OTEL_RESOURCE_ATTRIBUTES', 'service.name=from-attributes');
      const { exporter, spanProcessors } = inMemory();
      const started = start({ spanProcessors });

      trace.getTracer('test').startSpan('op').end();
      await started.forceFlush();

      expect(exporter.getFinishedSpans()[0]?.resource.attributes[ATTR_SERVICE_NAME]).toBe('checkout-canary');
    });
  });

  describe('sampler (read from env by the SDK)', () => {
    it('defaults to parentbased_always_on: roots are sampled, children follow an unsampled parent', async () => {
      const { exporter, spanProcessors } = inMemory();
      const started = start({ spanProcessors });
      const tracer = trace.getTracer('test');

      const root = tracer.startSpan('root');
      const unsampledParent = propagation.extract(ROOT_CONTEXT, {
        traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00',
      });
      const child = tracer.startSpan('child', {}, unsampledParent);

      expect(root.isRecording()).toBe(true);
      expect(child.isRecording()).toBe(false);
      root.end();
      child.end();
      await started.forceFlush();
      expect(exporter.getFinishedSpans().map((s) => s.name)).toEqual(['root']);
    });

    it.each([
      ['always_off', undefined],
      ['traceidratio', '0'],
      ['parentbased_always_off', undefined],
    ])('honours OTEL_TRACES_SAMPLER=%s (arg %s)', async (sampler, arg) => {
      vi.stubEnv('OTEL_TRACES_SAMPLER', sampler);
      if (arg !== undefined) vi.stubEnv('OTEL_TRACES_SAMPLER_ARG', arg);
      const { exporter, spanProcessors } = inMemory();
      const started = start({ spanProcessors });

      const span = trace.getTracer('test').startSpan('op');
      span.end();
      await started.forceFlush();

      expect(span.isRecording()).toBe(false);
      expect(exporter.getFinishedSpans()).toEqual([]);
    });
  });

  it('honours OTEL_TRACES_SAMPLER=parentbased_traceidratio: the ratio decides for roots, the parent for the rest', async () => {
    vi.stubEnv('OTEL_TRACES_SAMPLER', 'parentbased_traceidratio');
    vi.stubEnv('OTEL_TRACES_SAMPLER_ARG', '0');
    const { exporter, spanProcessors } = inMemory();
    const started = start({ spanProcessors });
    const tracer = trace.getTracer('test');
    const underParent = (flags: string) =>
      propagation.extract(ROOT_CONTEXT, { traceparent: `00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-${flags}` });

    tracer.startSpan('root').end();
    tracer.startSpan('child of sampled', {}, underParent('01')).end();
    tracer.startSpan('child of unsampled', {}, underParent('00')).end();
    await started.forceFlush();

    expect(exporter.getFinishedSpans().map((span) => span.name)).toEqual(['child of sampled']);
  });

  describe('baggage span processor', () => {
    const incoming = 'session.id=abc,user.id=u1,secret=x';

    /** A server span and its child started under the baggage of an incoming request, as the HTTP instrumentation does. */
    async function spansUnder(baggageHeader: string, options: Partial<NodeTracingOptions> = {}) {
      const { exporter, spanProcessors } = inMemory();
      const started = start({ spanProcessors, ...options });
      const tracer = trace.getTracer('test');
      const requestContext = propagation.extract(ROOT_CONTEXT, { baggage: baggageHeader });
      const server = tracer.startSpan('server', {}, requestContext);
      context.with(trace.setSpan(requestContext, server), () => tracer.startSpan('child').end());
      server.end();
      await started.forceFlush();
      return exporter.getFinishedSpans().map((span) => ({ name: span.name, attributes: span.attributes }));
    }

    it('copies session.id and user.id, and nothing else, onto every span by default', async () => {
      expect(await spansUnder(incoming)).toEqual([
        { name: 'child', attributes: { 'session.id': 'abc', 'user.id': 'u1' } },
        { name: 'server', attributes: { 'session.id': 'abc', 'user.id': 'u1' } },
      ]);
    });

    it('takes its allowlist from the baggageKeys option', async () => {
      const spans = await spansUnder(incoming, { baggageKeys: ['secret'] });
      expect(spans.map((span) => span.attributes)).toEqual([{ secret: 'x' }, { secret: 'x' }]);
    });

    it.each([
      ['*', { 'session.id': 'abc', 'user.id': 'u1', secret: 'x' }],
      ['none', {}],
      [' user.id , tenant ', { 'user.id': 'u1' }],
    ])('lets TRACELENS_BAGGAGE_KEYS=%j override the option', async (keys, attributes) => {
      vi.stubEnv('TRACELENS_BAGGAGE_KEYS', keys);
      const spans = await spansUnder(incoming, { baggageKeys: ['secret'] });
      expect(spans.map((span) => span.attributes)).toEqual([attributes, attributes]);
    });

    it('adds nothing with baggageKeys: [] or without baggage', async () => {
      expect((await spansUnder(incoming, { baggageKeys: [] })).map((span) => span.attributes)).toEqual([{}, {}]);
      await tracing?.shutdown();
      expect((await spansUnder('')).map((span) => span.attributes)).toEqual([{}, {}]);
    });
  });

  describe('log export', () => {
    function inMemoryLogs() {
      const exporter = new InMemoryLogRecordExporter();
      return { exporter, logRecordProcessors: [new SimpleLogRecordProcessor({ exporter })] };
    }

    it('posts protobuf to OTEL_EXPORTER_OTLP_ENDPOINT + /v1/logs by default', async () => {
      const receiver = await startReceiver(true);
      cleanups.push(receiver.close);
      vi.stubEnv('OTEL_EXPORTER_OTLP_ENDPOINT', receiver.origin);
      const started = start({ logRecordProcessors: undefined, spanProcessors: inMemory().spanProcessors });

      expect(started.loggerProvider).toBe(logs.getLoggerProvider());
      createLogger('checkout', { stdout: new LineSink() }).info('order placed');
      await started.forceFlush();

      expect(receiver.requests.map((r) => `${r.method} ${r.path} ${r.contentType}`)).toEqual([
        'POST /v1/logs application/x-protobuf',
      ]);
      expect(receiver.requests[0]?.bytes).toBeGreaterThan(0);
    });

    it('uses OTEL_EXPORTER_OTLP_LOGS_ENDPOINT as is', async () => {
      const receiver = await startReceiver(true);
      cleanups.push(receiver.close);
      vi.stubEnv('OTEL_EXPORTER_OTLP_ENDPOINT', 'http://127.0.0.1:1');
      vi.stubEnv('OTEL_EXPORTER_OTLP_LOGS_ENDPOINT', `${receiver.origin}/custom/logs`);
      const started = start({ logRecordProcessors: undefined, spanProcessors: inMemory().spanProcessors });

      createLogger('checkout', { stdout: new LineSink() }).info('order placed');
      await started.forceFlush();

      expect(receiver.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /custom/logs']);
    });

    it('exports no logs with OTEL_LOGS_EXPORTER=none, and still exports spans', async () => {
      const receiver = await startReceiver(true);
      cleanups.push(receiver.close);
      vi.stubEnv('OTEL_EXPORTER_OTLP_ENDPOINT', receiver.origin);
      vi.stubEnv('OTEL_LOGS_EXPORTER', 'NONE');
      const started = start({ logRecordProcessors: undefined });

      createLogger('checkout', { stdout: new LineSink() }).info('order placed');
      trace.getTracer('test').startSpan('op').end();
      await started.forceFlush();

      expect(started.loggerProvider).toBeUndefined();
      expect(receiver.requests.map((r) => r.path)).toEqual(['/v1/traces']);
    });

    it('emits nothing with OTEL_SDK_DISABLED=true, and logging still works', async () => {
      vi.stubEnv('OTEL_SDK_DISABLED', 'true');
      const { exporter, logRecordProcessors } = inMemoryLogs();
      const started = start({ logRecordProcessors });
      const stdout = new LineSink();

      createLogger('checkout', { stdout }).info('order placed');
      await started.forceFlush();

      expect(started.loggerProvider).toBeUndefined();
      expect(stdout.messages()).toEqual(['order placed']);
      expect(exporter.getFinishedLogRecords()).toEqual([]);
    });

    it("keeps its own reports out of the export, even through the caller's logger", async () => {
      vi.stubEnv('OTEL_EXPORTER_OTLP_TIMEOUT', 'soon');
      const { exporter, logRecordProcessors } = inMemoryLogs();
      const lines = new LineSink();
      const logger = createLogger('checkout', { stdout: lines, stderr: lines });
      const started = start({ logRecordProcessors, logger });

      logger.info('order placed');
      await started.forceFlush();

      expect(lines.messages()).toEqual([expect.stringMatching(/OTEL_EXPORTER_OTLP_TIMEOUT="soon" ignored/), 'order placed']);
      expect(exporter.getFinishedLogRecords().map((record) => record.body)).toEqual(['order placed']);
    });

    it('shares the resource of the spans and unregisters its provider on shutdown', async () => {
      const { exporter, logRecordProcessors } = inMemoryLogs();
      const started = start({ logRecordProcessors, serviceVersion: '1.2.3' });
      const logger = createLogger('checkout', { stdout: new LineSink() });

      logger.info('before shutdown');
      await started.forceFlush();
      expect(exporter.getFinishedLogRecords()[0]?.resource.attributes).toMatchObject({
        [ATTR_SERVICE_NAME]: 'checkout',
        [ATTR_SERVICE_VERSION]: '1.2.3',
      });

      // The in-memory exporter forgets everything when shut down.
      await started.shutdown();
      expect(logs.getLoggerProvider()).not.toBe(started.loggerProvider);
      expect(() => logger.info('after shutdown')).not.toThrow();
    });
  });

  it('propagates W3C trace context and baggage', () => {
    const { spanProcessors } = inMemory();
    start({ spanProcessors });

    const carrier: Record<string, string> = {};
    const span = trace.getTracer('test').startSpan('op');
    const ctx = propagation.setBaggage(
      trace.setSpan(context.active(), span),
      propagation.createBaggage({ tenant: { value: 'acme' } }),
    );
    propagation.inject(ctx, carrier);
    span.end();

    expect(carrier['traceparent']).toBe(`00-${span.spanContext().traceId}-${span.spanContext().spanId}-01`);
    expect(carrier['baggage']).toBe('tenant=acme');
  });

  it('hands its provider to the instrumentations and disables them on shutdown', async () => {
    const instrumentation = new FakeInstrumentation();
    const { spanProcessors } = inMemory();
    const started = start({ instrumentations: [instrumentation], spanProcessors });

    expect(instrumentation.tracerProvider).toBe(started.provider);
    await started.shutdown();
    expect(instrumentation.calls).toEqual(['disable']);
  });

  it('turns into a no-op with OTEL_SDK_DISABLED=true', async () => {
    vi.stubEnv('OTEL_SDK_DISABLED', 'true');
    const instrumentation = new FakeInstrumentation();
    const { exporter, spanProcessors } = inMemory();
    const started = start({ instrumentations: [instrumentation], spanProcessors });

    const span = trace.getTracer('test').startSpan('op');
    span.end();

    expect(started.enabled).toBe(false);
    expect(span.isRecording()).toBe(false);
    expect(exporter.getFinishedSpans()).toEqual([]);
    expect(instrumentation.calls).toEqual(['disable']);
    expect(instrumentation.tracerProvider).toBeUndefined();
    await expect(started.forceFlush()).resolves.toBeUndefined();
    await expect(started.shutdown()).resolves.toBeUndefined();
  });

  it('unregisters its globals on shutdown so a later start works', async () => {
    const first = inMemory();
    const firstTracing = start({ spanProcessors: first.spanProcessors });
    await firstTracing.shutdown();
    await firstTracing.shutdown(); // idempotent

    const second = inMemory();
    const secondTracing = start({ spanProcessors: second.spanProcessors });
    trace.getTracer('test').startSpan('op').end();
    await secondTracing.forceFlush();

    expect(first.exporter.getFinishedSpans()).toEqual([]);
    expect(second.exporter.getFinishedSpans().map((s) => s.name)).toEqual(['op']);
  });

  describe('OTLP export', () => {
    it('posts protobuf to OTEL_EXPORTER_OTLP_ENDPOINT + /v1/traces', async () => {
      const receiver = await startReceiver(true);
      cleanups.push(receiver.close);
      vi.stubEnv('OTEL_EXPORTER_OTLP_ENDPOINT', receiver.origin);
      const started = start();

      trace.getTracer('test').startSpan('op').end();
      await started.forceFlush();

      expect(receiver.requests.map((r) => `${r.method} ${r.path} ${r.contentType}`)).toEqual([
        'POST /v1/traces application/x-protobuf',
      ]);
      expect(receiver.requests[0]?.bytes).toBeGreaterThan(0);
    });

    it('uses OTEL_EXPORTER_OTLP_TRACES_ENDPOINT as is', async () => {
      const receiver = await startReceiver(true);
      cleanups.push(receiver.close);
      vi.stubEnv('OTEL_EXPORTER_OTLP_ENDPOINT', 'http://127.0.0.1:1'); // must lose to the signal-specific one
      vi.stubEnv('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', `${receiver.origin}/custom/traces`);
      const started = start();

      trace.getTracer('test').startSpan('op').end();
      await started.forceFlush();

      expect(receiver.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /custom/traces']);
    });

    it('gives up on a collector that never answers after the export timeout, env winning over the option', async () => {
      const receiver = await startReceiver(false);
      cleanups.push(receiver.close);
      vi.stubEnv('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', `${receiver.origin}/v1/traces`);
      vi.stubEnv('OTEL_EXPORTER_OTLP_TRACES_TIMEOUT', '300');
      const logs = new LineSink();
      const started = start({
        exportTimeoutMillis: 60_000,
        shutdownTimeoutMillis: 10_000,
        logger: createLogger('checkout', { stdout: logs, stderr: logs }),
      });

      trace.getTracer('test').startSpan('op').end();
      const t0 = performance.now();
      await started.forceFlush();
      const elapsed = performance.now() - t0;

      expect(receiver.requests.length, 'the request reached the black hole').toBeGreaterThan(0);
      expect(elapsed, 'export should stop at ~300 ms, long before the 10 s deadline').toBeLessThan(3_000);
      expect(logs.messages().filter((m) => m.includes('deadline'))).toEqual([]);
    });
  });

  describe('shutdown deadline', () => {
    it('resolves within the deadline when the endpoint is unreachable', async () => {
      const port = await freePort();
      vi.stubEnv('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', `http://127.0.0.1:${port}/v1/traces`);
      const logs = new LineSink();
      const started = start({
        shutdownTimeoutMillis: 500,
        logger: createLogger('checkout', { stdout: logs, stderr: logs }),
      });
      const tracer = trace.getTracer('test');
      for (let i = 0; i < 50; i++) tracer.startSpan(`op-${i}`).end();

      const t0 = performance.now();
      await expect(started.shutdown()).resolves.toBeUndefined();
      const elapsed = performance.now() - t0;

      expect(elapsed, `shutdown took ${Math.round(elapsed)} ms; logs: ${logs.lines.join('')}`).toBeLessThan(1_500);
    });

    it('resolves at the deadline, with a warning, when the collector never answers', async () => {
      const receiver = await startReceiver(false);
      cleanups.push(receiver.close);
      vi.stubEnv('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', `${receiver.origin}/v1/traces`);
      const logs = new LineSink();
      const started = start({
        shutdownTimeoutMillis: 400,
        logger: createLogger('checkout', { stdout: logs, stderr: logs }),
      });
      trace.getTracer('test').startSpan('op').end();

      const t0 = performance.now();
      await expect(started.shutdown()).resolves.toBeUndefined();
      const elapsed = performance.now() - t0;

      expect(elapsed).toBeGreaterThanOrEqual(350);
      expect(elapsed, `shutdown took ${Math.round(elapsed)} ms`).toBeLessThan(1_500);
      expect(logs.messages()).toContain('tracing: shutdown exceeded its deadline; unexported spans and log records were dropped');
    });
  });

  it('writes SDK diagnostics through the logger only when OTEL_LOG_LEVEL asks for them', async () => {
    const logs = new LineSink();
    const logger = createLogger('checkout', { level: 'debug', stdout: logs, stderr: logs });
    const { spanProcessors } = inMemory();

    const silent = start({ spanProcessors, logger });
    diag.error('unheard');
    await silent.shutdown();

    vi.stubEnv('OTEL_LOG_LEVEL', 'WARN');
    const verbose = start({ spanProcessors: inMemory().spanProcessors, logger });
    diag.warn('export failed');
    diag.info('below the level');
    await verbose.shutdown();
    diag.error('after shutdown');

    expect(logs.messages()).toEqual(['otel: export failed']);
  });

  it('reports invalid OTEL_* values instead of failing to start', () => {
    vi.stubEnv('OTEL_EXPORTER_OTLP_TIMEOUT', 'soon');
    const logs = new LineSink();
    const { spanProcessors } = inMemory();
    const started = start({ spanProcessors, logger: createLogger('checkout', { stdout: logs, stderr: logs }) });

    expect(started.enabled).toBe(true);
    expect(logs.messages()).toEqual([expect.stringMatching(/^tracing: OTEL_EXPORTER_OTLP_TIMEOUT="soon" ignored/)]);
  });
});
