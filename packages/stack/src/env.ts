import { z } from 'zod';
import { parsePort } from './ports.js';
import type { BackendKind, StackHosts, StackPorts } from './stack.js';

/**
 * The launcher's settings, parsed once from the environment of `npm start` /
 * `npm run dev`. Everything else in the environment is passed on to the
 * services as is. The README's Configuration section has the same table.
 */
export interface LauncherSettings {
  /** Where traces go. Default `embedded`, or `external` when both OTEL_EXPORTER_OTLP_ENDPOINT and TRACE_QUERY_URL are set; env TRACELENS_BACKEND (`embedded`, `jaeger`, `external`). */
  readonly backend: BackendKind;
  /** Ports: WEB_PORT (3000), DATA_PROCESSOR_PORT (3001), COLLECTOR_OTLP_PORT (4318), COLLECTOR_QUERY_PORT (16686); the real Jaeger's JAEGER_OTLP_GRPC_PORT, JAEGER_QUERY_GRPC_PORT, JAEGER_HEALTH_PORT (0: free ones). */
  readonly ports: StackPorts;
  /** Bind addresses: WEB_HOST, DATA_PROCESSOR_HOST, COLLECTOR_HOST (the embedded store's or Jaeger's). Default 127.0.0.1 each. */
  readonly hosts: StackHosts;
  /** With the `external` backend: OTEL_EXPORTER_OTLP_ENDPOINT and TRACE_QUERY_URL. */
  readonly external?: { readonly otlpUrl: string; readonly queryUrl: string };
}

/** A setting the launcher cannot run with; the message names the variable. */
export class LauncherConfigError extends Error {
  override readonly name = 'LauncherConfigError';
}

const blankAsUnset = (value: unknown): unknown => (typeof value === 'string' && value.trim() === '' ? undefined : value);
const text = z.preprocess(blankAsUnset, z.string().trim().optional());
const httpUrl = z.preprocess(blankAsUnset, z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional());

const schema = z.object({
  TRACELENS_BACKEND: z.preprocess(
    (value) => (typeof value === 'string' ? blankAsUnset(value.trim().toLowerCase()) : value),
    z.enum(['embedded', 'jaeger', 'external'], { error: 'must be embedded, jaeger or external' }).optional(),
  ),
  WEB_PORT: text,
  DATA_PROCESSOR_PORT: text,
  COLLECTOR_OTLP_PORT: text,
  COLLECTOR_QUERY_PORT: text,
  JAEGER_OTLP_GRPC_PORT: text,
  JAEGER_QUERY_GRPC_PORT: text,
  JAEGER_HEALTH_PORT: text,
  WEB_HOST: text,
  DATA_PROCESSOR_HOST: text,
  COLLECTOR_HOST: text,
  OTEL_EXPORTER_OTLP_ENDPOINT: httpUrl,
  TRACE_QUERY_URL: httpUrl,
});

/**
 * The environment this process was started with, as it is: what the
 * services it starts inherit (only the settings above are parsed; the rest
 * is theirs to read). The one read of `process.env` in this package.
 */
export function inheritedEnv(): Readonly<Record<string, string | undefined>> {
  return process.env;
}

export function readLauncherEnv(source: Readonly<Record<string, string | undefined>> = inheritedEnv()): LauncherSettings {
  const parsed = schema.safeParse(source);
  if (!parsed.success) throw new LauncherConfigError(parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; '));
  const env = parsed.data;

  const port = (variable: keyof typeof env & `${string}_PORT`, fallback: number, allowZero = false) => {
    const raw = env[variable];
    return raw === undefined ? fallback : parsePort(variable, raw, { allowZero });
  };
  let ports: StackPorts;
  try {
    ports = {
      web: port('WEB_PORT', 3000),
      dataProcessor: port('DATA_PROCESSOR_PORT', 3001),
      otlp: port('COLLECTOR_OTLP_PORT', 4318),
      query: port('COLLECTOR_QUERY_PORT', 16686),
      // Jaeger's auxiliary listeners: free ports unless fixed, so that they
      // collide with nothing (Jaeger's own defaults, 4317, 16685 and 13133,
      // may well be taken by another Jaeger).
      jaegerOtlpGrpc: port('JAEGER_OTLP_GRPC_PORT', 0, true),
      jaegerQueryGrpc: port('JAEGER_QUERY_GRPC_PORT', 0, true),
      jaegerHealth: port('JAEGER_HEALTH_PORT', 0, true),
    };
  } catch (e) {
    throw new LauncherConfigError((e as Error).message);
  }

  const otlpUrl = env.OTEL_EXPORTER_OTLP_ENDPOINT;
  const queryUrl = env.TRACE_QUERY_URL;
  const backend = env.TRACELENS_BACKEND ?? (otlpUrl !== undefined && queryUrl !== undefined ? 'external' : 'embedded');
  let external: LauncherSettings['external'];
  if (backend === 'external') {
    if (otlpUrl === undefined || queryUrl === undefined) {
      throw new LauncherConfigError(
        'TRACELENS_BACKEND=external needs OTEL_EXPORTER_OTLP_ENDPOINT (where the apps send spans, e.g. http://127.0.0.1:4318) ' +
          'and TRACE_QUERY_URL (the Jaeger query API the trace pages read, e.g. http://127.0.0.1:16686)',
      );
    }
    external = { otlpUrl, queryUrl };
  } else {
    // The launcher wires the apps to the backend it starts; a URL elsewhere
    // would quietly send spans past it, or read traces from somewhere else.
    const set = [otlpUrl === undefined ? '' : 'OTEL_EXPORTER_OTLP_ENDPOINT', queryUrl === undefined ? '' : 'TRACE_QUERY_URL'].filter(Boolean);
    if (set.length > 0) {
      const origin = env.TRACELENS_BACKEND === undefined ? 'the embedded store (the default)' : `TRACELENS_BACKEND=${backend}`;
      throw new LauncherConfigError(
        `${set.join(' and ')} ${set.length > 1 ? 'are' : 'is'} set, but ${origin} runs its own backend on COLLECTOR_OTLP_PORT and COLLECTOR_QUERY_PORT. ` +
          'To use a Jaeger you run, set both OTEL_EXPORTER_OTLP_ENDPOINT and TRACE_QUERY_URL (TRACELENS_BACKEND=external); otherwise unset them.',
      );
    }
  }
  return {
    backend,
    ports,
    hosts: {
      web: env.WEB_HOST ?? '127.0.0.1',
      dataProcessor: env.DATA_PROCESSOR_HOST ?? '127.0.0.1',
      backend: env.COLLECTOR_HOST ?? '127.0.0.1',
    },
    ...(external ? { external } : {}),
  };
}
