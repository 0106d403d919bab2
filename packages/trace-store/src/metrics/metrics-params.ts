import { GoParseError, goQuote, parseGoBool, parseGoInt } from '../query/go-parse.js';
import { BadRequestError } from '../query/v1-params.js';

/**
 * The parameters of Jaeger's metrics API (cmd/query/app/query_parser.go,
 * parseMetricsQueryParams), read with Jaeger's defaults and error texts.
 * Times are milliseconds.
 */
export interface MetricsQuery {
  services: string[];
  groupByOperation: boolean;
  /** OTLP SpanKind numbers. */
  spanKinds: number[];
  endMs: number;
  lookbackMs: number;
  stepMs: number;
  ratePerMs: number;
  /** When it was asked: the rollup period that holds this moment holds spans only up to it. */
  nowMs: number;
}

/** Jaeger's spanKind names and the OTLP SpanKind each stands for. */
const SPAN_KINDS: Record<string, number> = { unspecified: 0, internal: 1, server: 2, client: 3, producer: 4, consumer: 5 };

/** Jaeger's defaults (cmd/query/app/default_params.go). */
const DEFAULT_LOOKBACK_MS = 3_600_000;
const DEFAULT_STEP_MS = 5_000;
const DEFAULT_RATE_PER_MS = 600_000;

/**
 * Prometheus refuses a range query of more points than this per series
 * (Jaeger passes that on as a 500); the store answers 400 with the same
 * advice.
 */
export const MAX_POINTS = 11_000;

function paramError(name: string, e: unknown): BadRequestError {
  if (!(e instanceof GoParseError)) throw e;
  return new BadRequestError(`unable to parse param '${name}': ${e.message}`);
}

/** Go's r.FormValue: the first value, or ''. */
const form = (params: URLSearchParams, name: string): string => params.get(name) ?? '';

function int(params: URLSearchParams, name: string, fallback: number): number {
  const raw = form(params, name);
  if (raw === '') return fallback;
  try {
    return Number(parseGoInt(raw, 64));
  } catch (e) {
    throw paramError(name, e);
  }
}

export function parseMetricsQuery(params: URLSearchParams, nowMs: number): MetricsQuery {
  if (!params.has('service')) throw new BadRequestError("unable to parse param 'service': please provide at least one service name");
  const services = params.getAll('service');
  let groupByOperation = false;
  const group = form(params, 'groupByOperation');
  if (group !== '') {
    try {
      groupByOperation = parseGoBool(group);
    } catch (e) {
      throw paramError('groupByOperation', e);
    }
  }
  let spanKinds = [SPAN_KINDS.server as number];
  if (params.has('spanKind')) {
    spanKinds = params.getAll('spanKind').map((name) => {
      const kind = SPAN_KINDS[name];
      if (kind === undefined) throw new BadRequestError(`unable to parse param 'spanKind': unsupported span kind: '${name}'`);
      return kind;
    });
  }
  const query: MetricsQuery = {
    services,
    groupByOperation,
    spanKinds,
    endMs: int(params, 'endTs', nowMs),
    lookbackMs: int(params, 'lookback', DEFAULT_LOOKBACK_MS),
    stepMs: int(params, 'step', DEFAULT_STEP_MS),
    ratePerMs: int(params, 'ratePer', DEFAULT_RATE_PER_MS),
    nowMs,
  };
  // Jaeger takes these and leaves them to Prometheus, whose refusal it answers as a 500: the caller's mistake, so 400.
  if (query.stepMs <= 0) throw new BadRequestError(`'step' must be a positive number of milliseconds, got ${query.stepMs}`);
  if (query.lookbackMs < 0) throw new BadRequestError(`'lookback' must not be negative, got ${query.lookbackMs}`);
  if (query.ratePerMs <= 0) throw new BadRequestError(`'ratePer' must be a positive number of milliseconds, got ${query.ratePerMs}`);
  if (query.lookbackMs / query.stepMs >= MAX_POINTS) {
    throw new BadRequestError(
      `exceeded maximum resolution of ${MAX_POINTS.toLocaleString('en-US')} points per timeseries; try a larger 'step' (at least ${Math.ceil(query.lookbackMs / (MAX_POINTS - 1))})`,
    );
  }
  return query;
}

/** The `quantile` of /api/metrics/latencies: Jaeger reads it before anything else (a float, required). */
export function parseQuantile(params: URLSearchParams): number {
  const raw = form(params, 'quantile');
  // strconv.ParseFloat's decimal forms; its others (hex, "inf", "nan") are outside (0, 1] anyway.
  const q = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(raw) ? Number(raw) : Number.NaN;
  if (Number.isNaN(q)) throw new BadRequestError(`unable to parse param 'quantile': strconv.ParseFloat: parsing ${goQuote(raw)}: invalid syntax`);
  // Prometheus answers +Inf or -Inf outside (0, 1]; a caller's mistake, so 400.
  if (!(q > 0 && q <= 1)) throw new BadRequestError(`'quantile' must be greater than 0 and at most 1, got ${raw}`);
  return q;
}
