import { webEnv } from '@/env';
import { timeoutRoute } from '@/lib/server/handlers/timeout';

/** See lib/server/handlers/timeout.ts. */
export const GET = timeoutRoute(webEnv());
