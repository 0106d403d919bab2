import { z } from 'zod';

/**
 * The collector's environment, read once. Each variable is the default for
 * the CLI flag of the same name (flags win); see cli.ts and the README.
 */
const schema = z.object({
  COLLECTOR_HOST: z.string().min(1).optional(),
  COLLECTOR_OTLP_PORT: z.string().min(1).optional(),
  COLLECTOR_QUERY_PORT: z.string().min(1).optional(),
  COLLECTOR_DB: z.string().min(1).optional(),
  COLLECTOR_RETENTION: z.string().min(1).optional(),
  COLLECTOR_MAX_SPANS: z.string().min(1).optional(),
  COLLECTOR_MAX_BODY: z.string().min(1).optional(),
  COLLECTOR_MAX_QUEUE: z.string().min(1).optional(),
  COLLECTOR_CORS_ORIGINS: z.string().optional(),
  COLLECTOR_TAIL_SAMPLING: z.string().min(1).optional(),
  COLLECTOR_TAIL_WAIT: z.string().min(1).optional(),
  COLLECTOR_TAIL_LATENCY: z.string().min(1).optional(),
  COLLECTOR_TAIL_RATIO: z.string().min(1).optional(),
});

export type CollectorEnv = z.infer<typeof schema>;

export function readEnv(env: NodeJS.ProcessEnv = process.env): CollectorEnv {
  return schema.parse(env);
}
