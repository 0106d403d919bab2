import { webEnv } from '@/env';
import { operationsRoute } from '@/lib/server/handlers/operations';

/** See lib/server/handlers/operations.ts. */
export const GET = operationsRoute(webEnv());
