import { z } from 'zod';
import { baggageKeysSchema } from './baggage.js';

/*
 * The OTEL_* variables this package reads itself. Everything else in the spec
 * that the SDK 2.12 components already read on construction is deliberately
 * NOT parsed here, so there is one reader per variable:
 *
 * - OTEL_RESOURCE_ATTRIBUTES             -> envDetector (@opentelemetry/resources)
 * - OTEL_EXPORTER_OTLP_[TRACES_]ENDPOINT -> OTLPTraceExporter (also HEADERS, COMPRESSION, certificates)
 * - OTEL_EXPORTER_OTLP_[LOGS_]ENDPOINT   -> OTLPLogExporter (likewise)
 * - OTEL_TRACES_SAMPLER[_ARG]            -> BasicTracerProvider when no sampler is passed
 * - OTEL_BSP_*                           -> BatchSpanProcessor when no buffer config is passed
 * - OTEL_SPAN_*_LIMIT, OTEL_ATTRIBUTE_*  -> BasicTracerProvider
 *
 * The ones below are read here because we change a default (export timeout),
 * because the precedence needs the raw value (service name), or because no SDK
 * package reads them without NodeSDK (disabled flag, diagnostic log level,
 * OTEL_LOGS_EXPORTER, OTEL_BLRP_*: unlike BatchSpanProcessor, the 0.223
 * BatchLogRecordProcessor reads no environment). TRACELENS_BAGGAGE_KEYS is
 * ours: the spec has no variable for the baggage span processor.
 */

/** Values of OTEL_LOG_LEVEL, per the spec (matched case-insensitively). */
export const OTEL_LOG_LEVELS = ['none', 'error', 'warn', 'info', 'debug', 'verbose', 'all'] as const;
export type OtelLogLevel = (typeof OTEL_LOG_LEVELS)[number];

const millis = z.coerce.number().int().positive().optional();
const count = z.coerce.number().int().positive().optional();

/** Values of OTEL_LOGS_EXPORTER we act on; the spec's `console` is not supported. */
export const LOGS_EXPORTERS = ['otlp', 'none'] as const;
export type LogsExporter = (typeof LOGS_EXPORTERS)[number];

/** `*` (all), `none`, or a comma-separated list of baggage keys. */
const baggageKeys = baggageKeysSchema.optional();

const otelEnvSchema = z.object({
  /** Spec: only the string "true" (any case) disables the SDK; anything else leaves it on. */
  OTEL_SDK_DISABLED: z
    .string()
    .optional()
    .transform((value) => value?.trim().toLowerCase() === 'true'),
  OTEL_SERVICE_NAME: z.string().trim().min(1).optional(),
  /** Milliseconds. */
  OTEL_EXPORTER_OTLP_TRACES_TIMEOUT: millis,
  /** Milliseconds. */
  OTEL_EXPORTER_OTLP_TIMEOUT: millis,
  /** Milliseconds. */
  OTEL_EXPORTER_OTLP_LOGS_TIMEOUT: millis,
  OTEL_LOG_LEVEL: z.string().trim().toLowerCase().pipe(z.enum(OTEL_LOG_LEVELS)).optional(),
  /** Spec default `otlp`. */
  OTEL_LOGS_EXPORTER: z.string().trim().toLowerCase().pipe(z.enum(LOGS_EXPORTERS)).optional(),
  /** Milliseconds between two batch exports of log records. Spec default 1000. */
  OTEL_BLRP_SCHEDULE_DELAY: millis,
  /** Milliseconds one batch export of log records may take. Spec default 30000. */
  OTEL_BLRP_EXPORT_TIMEOUT: millis,
  /** Log records buffered before new ones are dropped. Spec default 2048. */
  OTEL_BLRP_MAX_QUEUE_SIZE: count,
  /** Log records per export. Spec default 512. */
  OTEL_BLRP_MAX_EXPORT_BATCH_SIZE: count,
  TRACELENS_BAGGAGE_KEYS: baggageKeys,
});

export type OtelEnv = z.output<typeof otelEnvSchema>;

export interface OtelEnvResult {
  readonly env: OtelEnv;
  /** One line per variable that was set but invalid and therefore ignored. */
  readonly warnings: readonly string[];
}

type EnvKey = keyof z.input<typeof otelEnvSchema>;
const ENV_KEYS = Object.keys(otelEnvSchema.shape) as EnvKey[];

/** The names of the OTEL_* variables set in the process's environment (tests clear them, so a developer's shell cannot leak in). */
export function otelVariableNames(source: NodeJS.ProcessEnv = process.env): string[] {
  return Object.keys(source).filter((key) => key.startsWith('OTEL_'));
}

/**
 * Parses the variables this package owns (OTEL_*, and TRACELENS_BAGGAGE_KEYS). Called once per
 * `startNodeTracing`, not at import, so tests can stub the environment.
 *
 * Invalid values are dropped with a warning instead of throwing: a typo in a
 * tracing variable must not stop the service from starting. Per the spec, an
 * empty value means "unset".
 */
export function readOtelEnv(source: NodeJS.ProcessEnv = process.env): OtelEnvResult {
  const input: Partial<Record<EnvKey, string>> = {};
  for (const key of ENV_KEYS) {
    const value = source[key];
    if (value !== undefined && value.trim() !== '') input[key] = value;
  }

  const parsed = otelEnvSchema.safeParse(input);
  if (parsed.success) return { env: parsed.data, warnings: [] };

  const warnings: string[] = [];
  for (const issue of parsed.error.issues) {
    const key = issue.path[0];
    if (typeof key !== 'string' || !(key in input)) continue;
    warnings.push(`${key}=${JSON.stringify(input[key as EnvKey])} ignored: ${issue.message}`);
    delete input[key as EnvKey];
  }
  // Every field is optional, so what is left after dropping the invalid ones parses.
  return { env: otelEnvSchema.parse(input), warnings };
}
