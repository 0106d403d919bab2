import { z } from 'zod';

/*
 * The only module that reads process.env (OTEL_* variables and
 * TRACELENS_BAGGAGE_KEYS are read by @tracelens/otel-node and the
 * OpenTelemetry SDK; see the README).
 */

export interface AppConfig {
  /** TCP port to listen on. Default 3001; env DATA_PROCESSOR_PORT (0 picks a free port). */
  readonly port: number;
  /** Interface to bind. Default 127.0.0.1; env DATA_PROCESSOR_HOST (the Docker image sets 0.0.0.0). */
  readonly host: string;
  /** Simulated work of /data: 100 ms + 10 ms per character of the name. Default on; env TRACELENS_SIMULATED_WORK=off for benchmarks. */
  readonly simulatedWork: boolean;
  /** GET /scenarios/contention/:name. */
  readonly contention: ContentionConfig;
  /** GET /scenarios/flaky/:name and the inventory downstream it calls. */
  readonly flaky: FlakyConfig;
  /** GET /scenarios/slow/:name. */
  readonly slow: SlowConfig;
}

export interface ContentionConfig {
  /** Connections in the pool guarding the simulated resource. Default 1; env CONTENTION_POOL_SIZE (1-1000). */
  readonly poolSize: number;
  /** Milliseconds of work while holding a connection. Default 100; env CONTENTION_WORK_MS (0-60000). */
  readonly workMs: number;
  /** Requests that may wait for a connection; one more is refused with a 503. Default 100; env CONTENTION_MAX_QUEUE (0-10000). */
  readonly maxQueue: number;
}

export interface FlakyConfig {
  /** Probability (0-1) that the inventory downstream answers 503, unless `?failureRate=` says otherwise. Default 0.3; env FLAKY_FAILURE_RATE. */
  readonly failureRate: number;
  /** Attempts at calling the inventory, the first included. Default 4; env FLAKY_MAX_ATTEMPTS (1-10). */
  readonly maxAttempts: number;
  /** Milliseconds waited before the second attempt, doubled before each further one. Default 50; env FLAKY_BACKOFF_MS (0-10000). */
  readonly backoffMs: number;
}

export interface SlowConfig {
  /** Milliseconds the slow work takes, unless `?delayMs=` says otherwise. Default 2000; env SLOW_DELAY_MS (0-30000). */
  readonly delayMs: number;
}

/** Upper bound of SLOW_DELAY_MS and of `?delayMs=`: a request must not hold a connection for longer. */
export const SLOW_MAX_DELAY_MS = 30_000;

/** An empty variable means "unset", as for OTEL_* (and `Number('')` would be port 0). */
const unsetIfBlank = (value: unknown): unknown =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

const int = (min: number, max: number, fallback: number) =>
  z.preprocess(unsetIfBlank, z.coerce.number().int().min(min).max(max).default(fallback));

const envSchema = z.object({
  DATA_PROCESSOR_PORT: int(0, 65_535, 3001),
  DATA_PROCESSOR_HOST: z.preprocess(unsetIfBlank, z.string().trim().default('127.0.0.1')),
  TRACELENS_SIMULATED_WORK: z.preprocess(
    (value) => (typeof value === 'string' ? unsetIfBlank(value.trim().toLowerCase()) : value),
    z.enum(['on', 'off']).default('on'),
  ),
  CONTENTION_POOL_SIZE: int(1, 1_000, 1),
  CONTENTION_WORK_MS: int(0, 60_000, 100),
  CONTENTION_MAX_QUEUE: int(0, 10_000, 100),
  FLAKY_FAILURE_RATE: z.preprocess(unsetIfBlank, z.coerce.number().min(0).max(1).default(0.3)),
  FLAKY_MAX_ATTEMPTS: int(1, 10, 4),
  FLAKY_BACKOFF_MS: int(0, 10_000, 50),
  SLOW_DELAY_MS: int(0, SLOW_MAX_DELAY_MS, 2_000),
});

/**
 * Parses the environment once, at startup. Unlike the tracing variables,
 * invalid values here stop the service: it cannot run on a bad port.
 */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    throw new Error(`Invalid data-processor environment:\n${z.prettifyError(parsed.error)}`);
  }
  const env = parsed.data;
  return {
    port: env.DATA_PROCESSOR_PORT,
    host: env.DATA_PROCESSOR_HOST,
    simulatedWork: env.TRACELENS_SIMULATED_WORK === 'on',
    contention: {
      poolSize: env.CONTENTION_POOL_SIZE,
      workMs: env.CONTENTION_WORK_MS,
      maxQueue: env.CONTENTION_MAX_QUEUE,
    },
    flaky: {
      failureRate: env.FLAKY_FAILURE_RATE,
      maxAttempts: env.FLAKY_MAX_ATTEMPTS,
      backoffMs: env.FLAKY_BACKOFF_MS,
    },
    slow: { delayMs: env.SLOW_DELAY_MS },
  };
}
