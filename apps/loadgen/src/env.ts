import { z } from 'zod';

/** The environment the load generator reads, once: only the default target's port. */
const schema = z.object({
  /** Port of the web app when --target is not given. Default 3000 (as `npm start`). */
  WEB_PORT: z.string().regex(/^\d+$/, 'WEB_PORT must be a port number').optional(),
});

export function defaultTarget(env: NodeJS.ProcessEnv = process.env): string {
  const { WEB_PORT } = schema.parse(env);
  return `http://localhost:${WEB_PORT ?? '3000'}`;
}
