import { webEnv } from '@/env';
import { contentionRoute } from '@/lib/server/handlers/contention';

/** See lib/server/handlers/contention.ts. */
export const GET = contentionRoute(webEnv());
