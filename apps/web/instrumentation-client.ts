/**
 * Browser tracing (service `web-ui`). Next.js runs this file once per page
 * load, after the HTML and before hydration, so it only schedules the work:
 * the OpenTelemetry SDK (lib/browser/browser-tracing.ts, chunks of its own) is
 * imported once the page has loaded and the browser is idle, off the path to
 * hydration. A click that comes first starts the import at once and waits
 * for it (lib/browser/tracing-ready.ts), so that its span is recorded.
 *
 * `TRACELENS_BROWSER_TRACING=off` at build time (next.config.ts) leaves all of
 * it out: the value is a constant Next.js inlines, not configuration read at
 * run time, and the bundler drops the dead branch with its import.
 */
import { setBrowserTracingReady } from '@/lib/browser/tracing-ready';

/** Longest a click waits for the SDK to load before it goes ahead untraced, in milliseconds. */
const READY_TIMEOUT_MS = 3000;

/**
 * Runs `task` once the load event has passed and the browser is idle: the
 * load event waits for the scripts that hydrate the page, and React's
 * hydration work keeps the browser busy until it is done.
 */
function whenLoadedAndIdle(task: () => void): void {
  const onIdle = () => {
    if (typeof window.requestIdleCallback === 'function') window.requestIdleCallback(task, { timeout: 2000 });
    else window.setTimeout(task, 0);
  };
  if (document.readyState === 'complete') onIdle();
  else window.addEventListener('load', onIdle, { once: true });
}

if (process.env.TRACELENS_BROWSER_TRACING !== 'off') {
  let started: Promise<void> | undefined;
  // Tracing is an extra: if it cannot load or start, the page must still work.
  const start = (): Promise<void> =>
    (started ??= import('@/lib/browser/browser-tracing')
      .then(({ startBrowserTracing }) => startBrowserTracing())
      .catch((error: unknown) => console.warn('[tracelens] browser tracing disabled:', error)));
  setBrowserTracingReady(() =>
    Promise.race([start(), new Promise<void>((resolve) => window.setTimeout(resolve, READY_TIMEOUT_MS))]),
  );
  whenLoadedAndIdle(() => void start());
}
