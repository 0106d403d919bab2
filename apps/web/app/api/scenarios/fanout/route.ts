import { webEnv } from '@/env';
import { fanoutRoute } from '@/lib/server/handlers/fanout';

/** See lib/server/handlers/fanout.ts. */
export const GET = fanoutRoute(webEnv());
