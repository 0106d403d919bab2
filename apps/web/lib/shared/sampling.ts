import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  type Sampler,
} from '@opentelemetry/sdk-trace-base';

/**
 * Head sampling as the OpenTelemetry spec's `OTEL_TRACES_SAMPLER` and
 * `OTEL_TRACES_SAMPLER_ARG` describe it, for both sides of the app: env.ts
 * parses the server's variables with it, the root layout hands the result to
 * the browser (which cannot read server env), and each side builds its
 * sampler with `createSampler`. No env access here, so client code can import it.
 *
 * The same ratio on every tier keeps the same traces: the ratio sampler
 * decides on the trace id alone. And since the frontend-api and the
 * data-processor default to parent-based, the browser's decision carries
 * through to them in the `traceparent` sampled flag.
 */

/** The spec's built-in sampler names we support (not `jaeger_remote`, `parentbased_jaeger_remote`, `xray`). */
export const SAMPLER_NAMES = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
] as const;

export type SamplerName = (typeof SAMPLER_NAMES)[number];

export interface SamplerConfig {
  readonly name: SamplerName;
  /** Share of root traces kept by the `*traceidratio` samplers, 0 to 1; 1 for the others, which ignore it. */
  readonly ratio: number;
}

/** The spec's default when `OTEL_TRACES_SAMPLER` is unset. */
export const DEFAULT_SERVER_SAMPLER: SamplerConfig = { name: 'parentbased_always_on', ratio: 1 };

/**
 * The browser's default when the server passed nothing (or nothing it
 * understands): a click is always a root, so this keeps every click traced.
 */
export const DEFAULT_BROWSER_SAMPLER: SamplerConfig = { name: 'always_on', ratio: 1 };

/** Whether the sampler reads `OTEL_TRACES_SAMPLER_ARG`. */
export const isRatioSampler = (name: SamplerName): boolean => name === 'traceidratio' || name === 'parentbased_traceidratio';

/**
 * Reads the two variables' values (undefined or blank: unset). The name is
 * matched case-insensitively; the argument, for the ratio samplers only, must
 * be a number from 0 to 1 and defaults to 1 (the spec's default). Unlike the
 * SDK, which falls back to a default with a diagnostic nobody reads, a bad
 * value is an error, so a sampler that would silently keep everything (or
 * nothing) stops the start instead.
 */
export function parseSamplerConfig(
  name: string | undefined,
  arg: string | undefined,
  defaults: SamplerConfig = DEFAULT_SERVER_SAMPLER,
):
  | { ok: true; config: SamplerConfig }
  | { ok: false; variable: 'OTEL_TRACES_SAMPLER' | 'OTEL_TRACES_SAMPLER_ARG'; error: string } {
  const rawName = name?.trim().toLowerCase() ?? '';
  if (rawName === '') return { ok: true, config: defaults };
  const known = SAMPLER_NAMES.find((candidate) => candidate === rawName);
  if (known === undefined) {
    return { ok: false, variable: 'OTEL_TRACES_SAMPLER', error: `must be one of ${SAMPLER_NAMES.join(', ')}; got ${JSON.stringify(name)}` };
  }
  if (!isRatioSampler(known)) return { ok: true, config: { name: known, ratio: 1 } };
  const rawArg = arg?.trim() ?? '';
  if (rawArg === '') return { ok: true, config: { name: known, ratio: 1 } };
  const ratio = Number(rawArg);
  if (!Number.isFinite(ratio) || ratio < 0 || ratio > 1) {
    return { ok: false, variable: 'OTEL_TRACES_SAMPLER_ARG', error: `must be a number from 0 to 1 for ${known}; got ${JSON.stringify(arg)}` };
  }
  return { ok: true, config: { name: known, ratio } };
}

/** The SDK sampler for a config; parent-based ones use the SDK's defaults for remote and local parents. */
export function createSampler(config: SamplerConfig): Sampler {
  switch (config.name) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return new TraceIdRatioBasedSampler(config.ratio);
    case 'parentbased_always_on':
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(config.ratio) });
  }
}

/**
 * `<meta>` names the root layout renders the server's sampler config under,
 * for lib/browser/browser-tracing.ts to read when it starts the provider. At request
 * time, not build time: `next start` with another env needs no rebuild.
 */
export const SAMPLER_META_NAME = 'tracelens-traces-sampler';
export const SAMPLER_ARG_META_NAME = 'tracelens-traces-sampler-arg';
