import { webEnv } from '@/env';
import { processRoute } from '@/lib/server/handlers/process';

/** The frontend-api, `GET /api/process/{name}`: see lib/server/handlers/process.ts. */
export const GET = processRoute(webEnv());
