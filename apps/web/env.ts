import { baggageKeysSchema, DEFAULT_BAGGAGE_KEYS, type BaggageKeys } from '@tracelens/otel-node/baggage';
import { z } from 'zod';
import { parseSamplerConfig, type SamplerConfig } from '@/lib/shared/sampling';

/**
 * The web app's whole environment, parsed once. Nothing else in apps/web reads
 * `process.env` (the one exception is Next's build-time `NEXT_RUNTIME` constant
 * in instrumentation.ts). Server-only: never import this from client code.
 *
 * The README's "Environment" table lists the same options.
 */
export interface WebEnv {
  /** Base URL of the NestJS data-processor, no trailing slash. Default `http://127.0.0.1:3001`; env `DATA_PROCESSOR_URL`. */
  readonly dataProcessorUrl: string;
  /** How long the frontend-api waits for the data-processor, in milliseconds. Default `10000`; env `DATA_PROCESSOR_TIMEOUT_MS`. */
  readonly dataProcessorTimeoutMs: number;
  /** Full OTLP/HTTP traces URL of the collector. Default `http://127.0.0.1:4318/v1/traces`; env `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` (used as is), else `OTEL_EXPORTER_OTLP_ENDPOINT` + `/v1/traces`. */
  readonly otlpTracesUrl: string;
  /** Full OTLP/HTTP logs URL of the collector. Default `http://127.0.0.1:4318/v1/logs`; env `OTEL_EXPORTER_OTLP_LOGS_ENDPOINT` (used as is), else `OTEL_EXPORTER_OTLP_ENDPOINT` + `/v1/logs`. */
  readonly otlpLogsUrl: string;
  /** Whether the frontend-api's log records are exported over OTLP (`otlp`) or only written to stdout/stderr (`none`). Default `otlp`; env `OTEL_LOGS_EXPORTER`. */
  readonly logsExporter: 'otlp' | 'none';
  /** Whether the frontend-api sleeps ~50 ms to stand for local work. Default `true`; env `TRACELENS_SIMULATED_WORK=off` turns it off. */
  readonly simulatedWork: boolean;
  /** Largest browser OTLP body the relay accepts, in bytes. Default `1048576` (1 MiB); env `OTLP_RELAY_MAX_BYTES`. */
  readonly otlpRelayMaxBytes: number;
  /** How long the relay waits for the collector, in milliseconds. Default `5000`; env `OTLP_RELAY_TIMEOUT_MS`. */
  readonly otlpRelayTimeoutMs: number;
  /** Base URL of the Jaeger v1 query API the trace pages read (the embedded collector or a real Jaeger), no trailing slash. Default `http://127.0.0.1:16686`; env `TRACE_QUERY_URL`. */
  readonly traceQueryUrl: string;
  /** Base URL of a Jaeger UI to link traces to (`{value}/trace/{id}`), no trailing slash; none by default. Env `JAEGER_UI_URL`. */
  readonly jaegerUiUrl: string | null;
  /** Most data-processor calls one fan-out batch has in flight at once (1-20). Default `3`; env `FANOUT_CONCURRENCY`. */
  readonly fanoutConcurrency: number;
  /** The timeout scenario's deadline for the data-processor call, in milliseconds (50-10000); `?deadlineMs=` overrides it per request. Default `1000`; env `TIMEOUT_DEADLINE_MS`. */
  readonly timeoutDeadlineMs: number;
  /** Baggage entries the frontend-api copies onto its spans as attributes (`*`: all, `none`: none). Default `session.id,user.id`; env `TRACELENS_BAGGAGE_KEYS` (comma-separated). */
  readonly baggageKeys: BaggageKeys;
  /** Head sampler of the frontend-api (under its plumbing filters) and, passed through the page, of the browser. Default `parentbased_always_on` (the browser: always on); env `OTEL_TRACES_SAMPLER`, with `OTEL_TRACES_SAMPLER_ARG` the ratio (0-1, default 1) of the `*traceidratio` samplers. */
  readonly tracesSampler: SamplerConfig;
}

const DEFAULT_OTLP_ENDPOINT = 'http://127.0.0.1:4318';

// docker compose and CI often pass `VAR=` for "unset": treat blank as absent
// so the default applies instead of failing the URL or number check.
const blankAsUnset = (value: unknown): unknown =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });
const positiveInt = z.coerce.number().int().positive();

const schema = z.object({
  DATA_PROCESSOR_URL: z.preprocess(blankAsUnset, httpUrl.default('http://127.0.0.1:3001')),
  DATA_PROCESSOR_TIMEOUT_MS: z.preprocess(blankAsUnset, positiveInt.default(10_000)),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.preprocess(blankAsUnset, httpUrl.optional()),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z.preprocess(blankAsUnset, httpUrl.optional()),
  OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: z.preprocess(blankAsUnset, httpUrl.optional()),
  // The spec's `console` is not offered: every line already goes to stdout/stderr.
  OTEL_LOGS_EXPORTER: z.preprocess(
    (value) => (typeof value === 'string' ? blankAsUnset(value.trim().toLowerCase()) : value),
    z.enum(['otlp', 'none']).default('otlp'),
  ),
  TRACELENS_SIMULATED_WORK: z.preprocess(
    (value) => (typeof value === 'string' ? blankAsUnset(value.trim().toLowerCase()) : value),
    z.enum(['on', 'off']).default('on'),
  ),
  OTLP_RELAY_MAX_BYTES: z.preprocess(blankAsUnset, positiveInt.default(1024 * 1024)),
  OTLP_RELAY_TIMEOUT_MS: z.preprocess(blankAsUnset, positiveInt.default(5_000)),
  TRACE_QUERY_URL: z.preprocess(blankAsUnset, httpUrl.default('http://127.0.0.1:16686')),
  JAEGER_UI_URL: z.preprocess(blankAsUnset, httpUrl.optional()),
  FANOUT_CONCURRENCY: z.preprocess(blankAsUnset, positiveInt.max(20).default(3)),
  TIMEOUT_DEADLINE_MS: z.preprocess(blankAsUnset, z.coerce.number().int().min(50).max(10_000).default(1_000)),
  TRACELENS_BAGGAGE_KEYS: z.preprocess(blankAsUnset, baggageKeysSchema.optional()),
  OTEL_TRACES_SAMPLER: z.preprocess(blankAsUnset, z.string().optional()),
  OTEL_TRACES_SAMPLER_ARG: z.preprocess(blankAsUnset, z.string().optional()),
}).transform((vars, ctx) => {
  // The two sampler variables only make sense together, hence parsed as a pair.
  const sampler = parseSamplerConfig(vars.OTEL_TRACES_SAMPLER, vars.OTEL_TRACES_SAMPLER_ARG);
  if (!sampler.ok) {
    ctx.addIssue({ code: 'custom', path: [sampler.variable], message: sampler.error });
    return z.NEVER;
  }
  return { ...vars, tracesSampler: sampler.config };
});

const withoutTrailingSlash = (url: string): string => url.replace(/\/+$/, '');

/** Parses an environment record; throws one readable error naming every bad variable. */
export function parseWebEnv(source: Record<string, string | undefined>): WebEnv {
  const result = schema.safeParse(source);
  if (!result.success) {
    throw new Error(`Invalid environment for @tracelens/web:\n${z.prettifyError(result.error)}`);
  }
  const vars = result.data;
  return {
    dataProcessorUrl: withoutTrailingSlash(vars.DATA_PROCESSOR_URL),
    dataProcessorTimeoutMs: vars.DATA_PROCESSOR_TIMEOUT_MS,
    // Per the OTLP exporter spec the signal-specific variable is a complete URL,
    // while the generic one is a base that gets the signal path appended.
    otlpTracesUrl:
      vars.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ??
      `${withoutTrailingSlash(vars.OTEL_EXPORTER_OTLP_ENDPOINT ?? DEFAULT_OTLP_ENDPOINT)}/v1/traces`,
    otlpLogsUrl:
      vars.OTEL_EXPORTER_OTLP_LOGS_ENDPOINT ?? `${withoutTrailingSlash(vars.OTEL_EXPORTER_OTLP_ENDPOINT ?? DEFAULT_OTLP_ENDPOINT)}/v1/logs`,
    logsExporter: vars.OTEL_LOGS_EXPORTER,
    simulatedWork: vars.TRACELENS_SIMULATED_WORK === 'on',
    otlpRelayMaxBytes: vars.OTLP_RELAY_MAX_BYTES,
    otlpRelayTimeoutMs: vars.OTLP_RELAY_TIMEOUT_MS,
    traceQueryUrl: withoutTrailingSlash(vars.TRACE_QUERY_URL),
    jaegerUiUrl: vars.JAEGER_UI_URL === undefined ? null : withoutTrailingSlash(vars.JAEGER_UI_URL),
    fanoutConcurrency: vars.FANOUT_CONCURRENCY,
    timeoutDeadlineMs: vars.TIMEOUT_DEADLINE_MS,
    baggageKeys: vars.TRACELENS_BAGGAGE_KEYS ?? DEFAULT_BAGGAGE_KEYS,
    tracesSampler: vars.tracesSampler,
  };
}

let parsed: WebEnv | undefined;

/**
 * The server's environment, parsed on first use and kept: a bad variable
 * stops the server when instrumentation.ts first asks, before any request.
 */
export function webEnv(): WebEnv {
  parsed ??= parseWebEnv(process.env);
  return parsed;
}

/** What `next build` is told by the environment; see next.config.ts. */
export interface BuildEnv {
  /** Whether the OpenTelemetry web SDK is built into the client bundle. Default `on`; env `TRACELENS_BROWSER_TRACING` (`on`, `off`). */
  readonly browserTracing: 'on' | 'off';
  /** `standalone`: the self-contained server the Dockerfile copies. Default unset; env `TRACELENS_NEXT_OUTPUT`. */
  readonly output: 'standalone' | undefined;
}

const buildSchema = z.object({
  TRACELENS_BROWSER_TRACING: z.preprocess(
    (value) => (typeof value === 'string' ? blankAsUnset(value.trim().toLowerCase()) : value),
    z.enum(['on', 'off'], { error: 'must be "on" or "off"' }).default('on'),
  ),
  TRACELENS_NEXT_OUTPUT: z.preprocess(
    (value) => (typeof value === 'string' ? blankAsUnset(value.trim().toLowerCase()) : value),
    z.literal('standalone', { error: 'must be "standalone" or unset' }).optional(),
  ),
});

/** Parses the build's environment; throws one readable error naming every bad variable. */
export function parseBuildEnv(source: Record<string, string | undefined>): BuildEnv {
  const result = buildSchema.safeParse(source);
  if (!result.success) {
    throw new Error(`Invalid build environment for @tracelens/web:\n${z.prettifyError(result.error)}`);
  }
  return { browserTracing: result.data.TRACELENS_BROWSER_TRACING, output: result.data.TRACELENS_NEXT_OUTPUT };
}

export function buildEnv(): BuildEnv {
  return parseBuildEnv(process.env);
}
