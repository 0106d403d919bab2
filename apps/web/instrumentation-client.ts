/**
 * Browser tracing (service `web-ui`). Next.js runs this file once per page
 * load, after the HTML and before hydration.
 *
 * Spans go in batches to this app's own /api/otlp/v1/traces relay (same
 * origin: no CORS, and the collector stays private). Fetches to our own origin
 * get `traceparent` and `baggage`; cross-origin ones get nothing.
 */
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { DocumentLoadInstrumentation } from '@opentelemetry/instrumentation-document-load';
import { FetchInstrumentation } from '@opentelemetry/instrumentation-fetch';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, WebTracerProvider } from '@opentelemetry/sdk-trace-web';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { OTLP_RELAY_PATH } from './lib/routes';
import { BROWSER_SERVICE_NAME } from './lib/telemetry';

/** How long a finished span may wait in the browser before its batch is sent, in milliseconds. */
const EXPORT_DELAY_MS = 1000;

function startBrowserTracing(): void {
  const relayUrl = new URL(OTLP_RELAY_PATH, window.location.origin).href;
  const provider = new WebTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: BROWSER_SERVICE_NAME }),
    // The processor also flushes when the page is hidden, so closing the tab
    // right after a click still delivers its spans.
    spanProcessors: [
      new BatchSpanProcessor(new OTLPTraceExporter({ url: relayUrl }), { scheduledDelayMillis: EXPORT_DELAY_MS }),
    ],
  });
  // Default context manager: StackContextManager (no zone.js), see lib/traced-process.ts.
  provider.register({
    propagator: new CompositePropagator({
      propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()],
    }),
  });
  registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      new DocumentLoadInstrumentation(),
      // The exporter already bypasses the patched fetch; ignoring the relay
      // here as well keeps any export from becoming a span to export.
      new FetchInstrumentation({ ignoreUrls: [relayUrl] }),
    ],
  });
}

// Tracing is an extra: if it cannot start, the page must still work.
try {
  startBrowserTracing();
} catch (error) {
  console.warn('[tracelens] browser tracing disabled:', error);
}
