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
import { logs, type LoggerProvider as OtelLoggerProvider } from '@opentelemetry/api-logs';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  CompositePropagator,
  suppressTracing,
  W3CBaggagePropagator,
  W3CTraceContextPropagator,
} from '@opentelemetry/core';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
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
import { BatchLogRecordProcessor, LoggerProvider, type LogRecordProcessor } from '@opentelemetry/sdk-logs';
import { BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import { baggageSpanProcessor, DEFAULT_BAGGAGE_KEYS, type BaggageKeys } from './baggage.js';
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
  /** Span processors replacing the default BatchSpanProcessor -> OTLP/HTTP protobuf exporter (which honours OTEL_BSP_* and OTEL_EXPORTER_OTLP_*). Tests pass a SimpleSpanProcessor over an InMemorySpanExporter. The baggage span processor is added either way. */
  readonly spanProcessors?: readonly SpanProcessor[];
  /** Baggage keys copied onto every span as attributes (`'*'`: all, `[]`: none). Default DEFAULT_BAGGAGE_KEYS (`session.id`, `user.id`); overridden by TRACELENS_BAGGAGE_KEYS. */
  readonly baggageKeys?: BaggageKeys;
  /** Log record processors replacing the default BatchLogRecordProcessor -> OTLP/HTTP protobuf log exporter (which honours OTEL_BLRP_* and OTEL_EXPORTER_OTLP_*); used even with OTEL_LOGS_EXPORTER=none, which only drops that default. Tests pass a SimpleLogRecordProcessor over an InMemoryLogRecordExporter. */
  readonly logRecordProcessors?: readonly LogRecordProcessor[];
  /** OTLP export timeout in ms, retries included, for spans and log records. Default 3000; overridden by OTEL_EXPORTER_OTLP_TRACES_TIMEOUT (spans) or OTEL_EXPORTER_OTLP_LOGS_TIMEOUT (logs), then OTEL_EXPORTER_OTLP_TIMEOUT. */
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
  /** The globally registered LoggerProvider that `createLogger` emits to; undefined when disabled or when OTEL_LOGS_EXPORTER=none left it no processor. */
  readonly loggerProvider: OtelLoggerProvider | undefined;
  /** Exports the buffered spans and log records. Resolves by the deadline even if the collector is down; never rejects. */
  forceFlush(): Promise<void>;
  /** Disables instrumentations, flushes and shuts both providers down, then unregisters the globals. Resolves by the deadline; never rejects; idempotent. */
  shutdown(): Promise<void>;
}

/**
 * Starts tracing, and OTLP log export for `createLogger`, for a Node service.
 * Call it once, before the modules the instrumentations patch are loaded
 * (e.g. from a file passed to `node --import`).
 */
export function startNodeTracing(options: NodeTracingOptions): NodeTracing {
  const { env, warnings } = readOtelEnv();
  // Level debug: what reaches this logger is already filtered (by OTEL_LOG_LEVEL for diagnostics).
  // Self-reports (warnings, SDK diagnostics) go to stdout/stderr only: exporting
  // "the export failed" through the failing export would only feed itself.
  const logger = selfReporting(
    options.logger ?? createLogger(env.OTEL_SERVICE_NAME ?? options.serviceName, { level: 'debug', otlp: false }),
  );
  for (const warning of warnings) logger.warn(`tracing: ${warning}`);

  const instrumentations = [...(options.instrumentations ?? [])];

  if (env.OTEL_SDK_DISABLED) {
    // Instrumentations enable themselves in their constructor; undo that so a
    // disabled SDK also means no patched modules.
    for (const instrumentation of instrumentations) instrumentation.disable();
    const noop = async (): Promise<void> => {};
    return {
      enabled: false,
      provider: trace.getTracerProvider(),
      loggerProvider: undefined,
      forceFlush: noop,
      shutdown: noop,
    };
  }

  // Without OTEL_LOG_LEVEL the SDK's diagnostics stay silent, as with NodeSDK:
  // a collector that is down must not flood the service's logs by default.
  const diagLevel = env.OTEL_LOG_LEVEL === undefined ? DiagLogLevel.NONE : DIAG_LEVELS[env.OTEL_LOG_LEVEL];
  const diagEnabled = diagLevel !== DiagLogLevel.NONE;
  if (diagEnabled) {
    diag.setLogger(diagToLogger(logger), { logLevel: diagLevel, suppressOverrideMessage: true });
  }

  const resource = buildResource(options, env);
  const baggageKeys = env.TRACELENS_BAGGAGE_KEYS ?? options.baggageKeys ?? DEFAULT_BAGGAGE_KEYS;
  const baggageProcessor = baggageSpanProcessor(baggageKeys);
  const provider = new NodeTracerProvider({
    resource,
    spanProcessors: [
      // First, so the attributes are there before any other processor sees the span.
      ...(baggageProcessor ? [baggageProcessor] : []),
      ...(options.spanProcessors ?? [defaultSpanProcessor(options, env)]),
    ],
  });

  // No processor, no provider: `createLogger` then emits to the API's no-op.
  const logRecordProcessors =
    options.logRecordProcessors ?? (env.OTEL_LOGS_EXPORTER === 'none' ? [] : [defaultLogRecordProcessor(options, env)]);
  const loggerProvider =
    logRecordProcessors.length === 0
      ? undefined
      : new LoggerProvider({ resource, processors: [...logRecordProcessors] });

  const contextManager = new AsyncLocalStorageContextManager().enable();
  const registered = {
    tracerProvider: trace.setGlobalTracerProvider(provider),
    contextManager: context.setGlobalContextManager(contextManager),
    propagator: propagation.setGlobalPropagator(
      new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }),
    ),
    // The logs API returns the provider already registered, if any, instead of a boolean.
    loggerProvider: loggerProvider === undefined || logs.setGlobalLoggerProvider(loggerProvider) === loggerProvider,
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
  // Both providers in parallel, under one deadline.
  const both = async (work: (p: { forceFlush(): Promise<void>; shutdown(): Promise<void> }) => Promise<void>) => {
    await Promise.all([work(provider), loggerProvider ? work(loggerProvider) : undefined]);
  };
  return {
    enabled: true,
    provider,
    loggerProvider,
    forceFlush: () => settle(both((p) => p.forceFlush()), timeoutMillis, logger, 'flush'),
    shutdown: () => {
      shuttingDown ??= (async () => {
        unregisterInstrumentations();
        await settle(both((p) => p.shutdown()), timeoutMillis, logger, 'shutdown');
        if (registered.tracerProvider) trace.disable();
        if (registered.propagator) propagation.disable();
        if (registered.contextManager) context.disable();
        if (registered.loggerProvider && loggerProvider) logs.disable();
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

function defaultLogRecordProcessor(options: NodeTracingOptions, env: OtelEnv): LogRecordProcessor {
  // The exporter resolves its URL from OTEL_EXPORTER_OTLP_LOGS_ENDPOINT, else
  // OTEL_EXPORTER_OTLP_ENDPOINT + "/v1/logs", else http://localhost:4318/v1/logs.
  const exporter = new OTLPLogExporter({
    timeoutMillis:
      env.OTEL_EXPORTER_OTLP_LOGS_TIMEOUT ??
      env.OTEL_EXPORTER_OTLP_TIMEOUT ??
      options.exportTimeoutMillis ??
      DEFAULT_EXPORT_TIMEOUT_MILLIS,
  });
  // Unset values fall back to the spec's defaults: queue 2048 records (dropped
  // beyond that), batches of 512 every second.
  return new BatchLogRecordProcessor({
    exporter,
    scheduledDelayMillis: env.OTEL_BLRP_SCHEDULE_DELAY,
    exportTimeoutMillis: env.OTEL_BLRP_EXPORT_TIMEOUT,
    maxQueueSize: env.OTEL_BLRP_MAX_QUEUE_SIZE,
    maxExportBatchSize: env.OTEL_BLRP_MAX_EXPORT_BATCH_SIZE,
  });
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
      logger.warn(`tracing: ${what} exceeded its deadline; unexported spans and log records were dropped`, {
        timeout_ms: timeoutMillis,
      });
    }
  } catch (error) {
    logger.warn(`tracing: ${what} failed; unexported spans and log records were dropped`, { error });
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

/**
 * Runs each call where tracing is suppressed, which `createLogger` reads as
 * "do not emit an OTLP record". Whatever logger the caller passed, reports
 * about the telemetry pipeline then stay out of it.
 */
function selfReporting(logger: Logger): Logger {
  const quietly = (write: () => void): void => context.with(suppressTracing(context.active()), write);
  return {
    debug: (msg, fields) => quietly(() => logger.debug(msg, fields)),
    info: (msg, fields) => quietly(() => logger.info(msg, fields)),
    warn: (msg, fields) => quietly(() => logger.warn(msg, fields)),
    error: (msg, fields) => quietly(() => logger.error(msg, fields)),
  };
}

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
