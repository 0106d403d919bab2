import { z } from 'zod';

/*
 * The only module that reads process.env (OTEL_* variables are read by
 * @tracelens/otel-node and the OpenTelemetry SDK; see the README).
 */

export interface AppConfig {
  /** TCP port to listen on. Default 3001; env DATA_PROCESSOR_PORT (0 picks a free port). */
  readonly port: number;
  /** Interface to bind. Default 127.0.0.1; env DATA_PROCESSOR_HOST (the Docker image sets 0.0.0.0). */
  readonly host: string;
  /** Simulated work of 100 ms + 10 ms per character of the name. Default on; env TRACELENS_SIMULATED_WORK=off for benchmarks. */
  readonly simulatedWork: boolean;
}

/** An empty variable means "unset", as for OTEL_* (and `Number('')` would be port 0). */
const unsetIfBlank = (value: unknown): unknown =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

const envSchema = z.object({
  DATA_PROCESSOR_PORT: z.preprocess(unsetIfBlank, z.coerce.number().int().min(0).max(65_535).default(3001)),
  DATA_PROCESSOR_HOST: z.preprocess(unsetIfBlank, z.string().trim().default('127.0.0.1')),
  TRACELENS_SIMULATED_WORK: z.preprocess(
    (value) => (typeof value === 'string' ? unsetIfBlank(value.trim().toLowerCase()) : value),
    z.enum(['on', 'off']).default('on'),
  ),
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
  return {
    port: parsed.data.DATA_PROCESSOR_PORT,
    host: parsed.data.DATA_PROCESSOR_HOST,
    simulatedWork: parsed.data.TRACELENS_SIMULATED_WORK === 'on',
  };
}
