import { webEnv } from '@/env';
import { otlpRelayRoute } from '@/lib/server/handlers/otlp-relay';

/** The browser's span exports, relayed to the collector: see lib/server/handlers/otlp-relay.ts. */
export const POST = otlpRelayRoute(webEnv());
