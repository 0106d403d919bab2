/**
 * The one readiness promise of browser tracing: what a click waits for
 * before it starts its span. instrumentation-client.ts loads the SDK only
 * after hydration and sets this to "start the import now, or give up after
 * a deadline", so a click that comes first is still traced. By default
 * (tracing built out, unit tests) there is nothing to wait for.
 */
let ready: () => Promise<void> = () => Promise.resolve();

/** For instrumentation-client.ts: what every traced request waits for before it starts its span. */
export function setBrowserTracingReady(whenReady: () => Promise<void>): void {
  ready = whenReady;
}

/** Resolves once browser tracing can record a span, or has given up. */
export function browserTracingReady(): Promise<void> {
  return ready();
}
