import { webEnv } from '@/env';
import { flakyRoute } from '@/lib/server/handlers/flaky';

/** See lib/server/handlers/flaky.ts. */
export const GET = flakyRoute(webEnv());
