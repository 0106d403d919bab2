import { createRequire, isBuiltin } from 'node:module';
import {
  context,
  diag,
  DiagLogLevel,
  propagation,
  trace,
  type Attributes,
  type DiagLogger,
  type TracerProvider,
} from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { registerInstrumentations, type Instrumentation } from '@opentelemetry/instrumentation';
import {
  defaultResource,
  detectResources,
  emptyResource,
  envDetector,
  hostDetector,
  processDetector,
  resourceFromAttributes,
  type Resource,
} from '@opentelemetry/resources';
import { BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import { readOtelEnv, type OtelEnv, type OtelLogLevel } from './env.js';
import { createLogger, type Logger } from './logger.js';

/**
 * Default for how long one OTLP export may take, retries included. Shorter
 * than the exporter's 10 s so a dead or black-holed collector costs little;
 * the batch processor drops spans once its bounded queue is full.
 */
export const DEFAULT_EXPORT_TIMEOUT_MILLIS = 3_000;

/** Default deadline for `shutdown()` and `forceFlush()`. */
export const DEFAULT_SHUTDOWN_TIMEOUT_MILLIS = 5_000;

export interface NodeTracingOptions {
  /** `service.name`. Required; overridden by OTEL_SERVICE_NAME. */
  readonly serviceName: string;
  /** `service.version`. Default: unset; `service.version` in OTEL_RESOURCE_ATTRIBUTES only fills it when unset (spec: code wins). */
  readonly serviceVersion?: string;
  /** Extra resource attributes. Default: none; OTEL_RESOURCE_ATTRIBUTES adds to them, never overrides them (spec). */
  readonly resourceAttributes?: Attributes;
  /** Instrumentations to enable against this provider. Default: none. */
  readonly instrumentations?: readonly Instrumentation[];
  /** Span processors replacing the default BatchSpanProcessor -> OTLP/HTTP protobuf exporter (which honours OTEL_BSP_* and OTEL_EXPORTER_OTLP_*). Tests pass a SimpleSpanProcessor over an InMemorySpanExporter. */
  readonly spanProcessors?: readonly SpanProcessor[];
  /** OTLP export timeout in ms, retries included. Default 3000; overridden by OTEL_EXPORTER_OTLP_TRACES_TIMEOUT, then OTEL_EXPORTER_OTLP_TIMEOUT. */
  readonly exportTimeoutMillis?: number;
  /** Deadline in ms for `shutdown()` and `forceFlush()`. Default 5000; no env var. */
  readonly shutdownTimeoutMillis?: number;
  /** Where this package reports its own warnings, and SDK diagnostics when OTEL_LOG_LEVEL is set. Default: a `createLogger(serviceName, { level: 'debug' })`. */
  readonly logger?: Logger;
}

export interface NodeTracing {
  /** False when OTEL_SDK_DISABLED=true: nothing was registered and every span is a no-op. */
  readonly enabled: boolean;
  /** The globally registered provider; the API's no-op provider when disabled. */
  readonly provider: TracerProvider;
  /** Exports what is buffered. Resolves by the deadline even if the collector is down; never rejects. */
  forceFlush(): Promise<void>;
  /** Disables instrumentations, flushes and shuts the provider down, then unregisters the globals. Resolves by the deadline; never rejects; idempotent. */
  shutdown(): Promise<void>;
}

/**
 * Starts tracing for a Node service. Call it once, before the modules the
 * instrumentations patch are loaded (e.g. from a file passed to `node --import`).
 */
export function startNodeTracing(options: NodeTracingOptions): NodeTracing {
  const { env, warnings } = readOtelEnv();
  // Level debug: what reaches this logger is already filtered (by OTEL_LOG_LEVEL for diagnostics).
  const logger = options.logger ?? createLogger(env.OTEL_SERVICE_NAME ?? options.serviceName, { level: 'debug' });
  for (const warning of warnings) logger.warn(`tracing: ${warning}`);

  const instrumentations = [...(options.instrumentations ?? [])];

  if (env.OTEL_SDK_DISABLED) {
    // Instrumentations enable themselves in their constructor; undo that so a
    // disabled SDK also means no patched modules.
    for (const instrumentation of instrumentations) instrumentation.disable();
    const noop = async (): Promise<void> => {};
    return { enabled: false, provider: trace.getTracerProvider(), forceFlush: noop, shutdown: noop };
  }

  // Without OTEL_LOG_LEVEL the SDK's diagnostics stay silent, as with NodeSDK:
  // a collector that is down must not flood the service's logs by default.
  const diagLevel = env.OTEL_LOG_LEVEL === undefined ? DiagLogLevel.NONE : DIAG_LEVELS[env.OTEL_LOG_LEVEL];
  const diagEnabled = diagLevel !== DiagLogLevel.NONE;
  if (diagEnabled) {
    diag.setLogger(diagToLogger(logger), { logLevel: diagLevel, suppressOverrideMessage: true });
  }

  const provider = new NodeTracerProvider({
    resource: buildResource(options, env),
    spanProcessors: options.spanProcessors ? [...options.spanProcessors] : [defaultSpanProcessor(options, env)],
  });

  const contextManager = new AsyncLocalStorageContextManager().enable();
  const registered = {
    tracerProvider: trace.setGlobalTracerProvider(provider),
    contextManager: context.setGlobalContextManager(contextManager),
    propagator: propagation.setGlobalPropagator(
      new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }),
    ),
  };
  const notRegistered = Object.entries(registered)
    .filter(([, ok]) => !ok)
    .map(([name]) => name);
  if (!registered.contextManager) contextManager.disable();
  if (notRegistered.length > 0) {
    logger.warn('tracing: another OpenTelemetry global is already registered; ours was not', {
      not_registered: notRegistered,
    });
  }

  const unregisterInstrumentations = registerInstrumentations({
    instrumentations,
    tracerProvider: provider,
  });
  requireBuiltinTargets(instrumentations);

  const timeoutMillis = options.shutdownTimeoutMillis ?? DEFAULT_SHUTDOWN_TIMEOUT_MILLIS;

  let shuttingDown: Promise<void> | undefined;
  return {
    enabled: true,
    provider,
    forceFlush: () => settle(provider.forceFlush(), timeoutMillis, logger, 'flush'),
    shutdown: () => {
      shuttingDown ??= (async () => {
        unregisterInstrumentations();
        await settle(provider.shutdown(), timeoutMillis, logger, 'shutdown');
        if (registered.tracerProvider) trace.disable();
        if (registered.propagator) propagation.disable();
        if (registered.contextManager) context.disable();
        if (diagEnabled) diag.disable();
      })();
      return shuttingDown;
    },
  };
}

/**
 * Lowest to highest precedence: SDK defaults (telemetry.sdk.*), detected
 * host/process attributes and OTEL_RESOURCE_ATTRIBUTES, the caller's
 * attributes (the spec makes code win over OTEL_RESOURCE_ATTRIBUTES), and
 * finally OTEL_SERVICE_NAME, so operators can rename a service without a build.
 */
function buildResource(options: NodeTracingOptions, env: OtelEnv): Resource {
  const detected = detectResources({ detectors: [envDetector, processDetector, hostDetector] });
  const fromCode = resourceFromAttributes({
    ...options.resourceAttributes,
    [ATTR_SERVICE_NAME]: options.serviceName,
    ...(options.serviceVersion === undefined ? {} : { [ATTR_SERVICE_VERSION]: options.serviceVersion }),
  });
  const serviceNameOverride =
    env.OTEL_SERVICE_NAME === undefined
      ? emptyResource()
      : resourceFromAttributes({ [ATTR_SERVICE_NAME]: env.OTEL_SERVICE_NAME });
  return defaultResource().merge(detected).merge(fromCode).merge(serviceNameOverride);
}

function defaultSpanProcessor(options: NodeTracingOptions, env: OtelEnv): SpanProcessor {
  // The exporter resolves its URL from OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, else
  // OTEL_EXPORTER_OTLP_ENDPOINT + "/v1/traces", else http://localhost:4318/v1/traces.
  // Its timeout is passed explicitly only because our default differs from the
  // SDK's; the env vars still win, as the exporter itself would let them.
  const exporter = new OTLPTraceExporter({
    timeoutMillis:
      env.OTEL_EXPORTER_OTLP_TRACES_TIMEOUT ??
      env.OTEL_EXPORTER_OTLP_TIMEOUT ??
      options.exportTimeoutMillis ??
      DEFAULT_EXPORT_TIMEOUT_MILLIS,
  });
  // No buffer config: the processor then reads OTEL_BSP_* itself. Its defaults
  // (queue 2048 spans, dropped beyond that; batches of 512 every 5 s) bound memory.
  return new BatchSpanProcessor(exporter);
}

/**
 * An ESM `import http from 'node:http'` does not pass through
 * require-in-the-middle, and hooking ESM needs the fragile import-in-the-middle
 * loader. Built-in modules are singletons shared by both loaders, though, so
 * one `require()` after the instrumentations are enabled patches the very
 * objects ESM code uses (e.g. `http.Server.prototype.emit`, which is where
 * server spans start). Only built-ins are handled; packages still need to be
 * required (or hooked) after `startNodeTracing`.
 */
function requireBuiltinTargets(instrumentations: readonly Instrumentation[]): void {
  const require = createRequire(import.meta.url);
  for (const instrumentation of instrumentations) {
    const withDefinitions = instrumentation as Partial<{ getModuleDefinitions(): readonly { name: string }[] }>;
    for (const definition of withDefinitions.getModuleDefinitions?.() ?? []) {
      if (isBuiltin(definition.name)) require(definition.name);
    }
  }
}

/** Waits for `work` until `timeoutMillis`; reports failure or timeout as a warning, never as a rejection. */
async function settle(work: Promise<void>, timeoutMillis: number, logger: Logger, what: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMillis);
    // The deadline itself must not keep a process alive that is otherwise done.
    timer.unref();
  });
  try {
    const outcome = await Promise.race([work.then(() => 'done' as const), deadline]);
    if (outcome === 'timeout') {
      logger.warn(`tracing: ${what} exceeded its deadline; unexported spans were dropped`, {
        timeout_ms: timeoutMillis,
      });
    }
  } catch (error) {
    logger.warn(`tracing: ${what} failed; unexported spans were dropped`, { error });
  } finally {
    clearTimeout(timer);
  }
}

const DIAG_LEVELS: Readonly<Record<OtelLogLevel, DiagLogLevel>> = {
  none: DiagLogLevel.NONE,
  error: DiagLogLevel.ERROR,
  warn: DiagLogLevel.WARN,
  info: DiagLogLevel.INFO,
  debug: DiagLogLevel.DEBUG,
  verbose: DiagLogLevel.VERBOSE,
  all: DiagLogLevel.ALL,
};

/** SDK diagnostics as JSON lines; diag applies the OTEL_LOG_LEVEL filter before these are called. */
function diagToLogger(logger: Logger): DiagLogger {
  const fields = (args: unknown[]) => (args.length > 0 ? { args } : undefined);
  return {
    error: (message, ...args) => logger.error(`otel: ${message}`, fields(args)),
    warn: (message, ...args) => logger.warn(`otel: ${message}`, fields(args)),
    info: (message, ...args) => logger.info(`otel: ${message}`, fields(args)),
    debug: (message, ...args) => logger.debug(`otel: ${message}`, fields(args)),
    verbose: (message, ...args) => logger.debug(`otel: ${message}`, fields(args)),
  };
}
