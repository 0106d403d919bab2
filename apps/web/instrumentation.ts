/**
 * Server-side tracing (service `frontend-api`). Next.js calls `register` once
 * per server start, before the first request.
 *
 * The exporter, sampler and fetch settings live in lib/server/tracing.ts so the
 * route tests can run with exactly the same fetch instrumentation settings.
 */
export async function register(): Promise<void> {
  // NEXT_RUNTIME is not configuration but a constant Next.js inlines into each
  // server bundle, hence read here rather than in env.ts: the check lets an
  // edge bundle (should a route ever opt into that runtime) drop the Node-only
  // OTLP exporter. Only Node.js routes exist today.
  if (process.env.NEXT_RUNTIME === 'nodejs') {
    const [{ registerOTel }, { frontendApiOTelConfig }, { webEnv }] = await Promise.all([
      import('@vercel/otel'),
      import('@/lib/server/tracing'),
      import('@/env'),
    ]);
    // A bad environment stops the server here, on purpose. Past that point,
    // tracing must never keep the app from serving.
    const env = webEnv();
    try {
      registerOTel(frontendApiOTelConfig(env));
    } catch (error) {
      console.error('[tracelens] tracing disabled: could not start OpenTelemetry', error);
    }
  }
}
