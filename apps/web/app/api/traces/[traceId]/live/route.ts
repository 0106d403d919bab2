import { webEnv } from '@/env';
import { liveTraceRoute } from '@/lib/server/handlers/live-trace';

/** See lib/server/handlers/live-trace.ts. */
export const GET = liveTraceRoute(webEnv());
