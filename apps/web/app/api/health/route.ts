import { healthRoute } from '@/lib/server/handlers/health';

/** See lib/server/handlers/health.ts. */
export const GET = healthRoute();
