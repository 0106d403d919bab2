import type { JaegerTrace } from './v1-model.js';

/**
 * What Jaeger's query service does to a trace read from storage before
 * answering `GET /api/traces/{id}`: byte-identical spans (a retried export)
 * collapse into one, and a span whose parent is not in the trace gets
 * Jaeger's warning. Clock skew itself is left to the viewer, which knows
 * which spans came from a browser.
 */
export function adjustTrace(trace: JaegerTrace): JaegerTrace {
  const seen = new Set<string>();
  const spans = trace.spans.filter((span) => {
    const key = JSON.stringify(span);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const ids = new Set(spans.map((s) => s.spanID));
  const withWarnings = spans.map((span) => {
    const parent = span.references.find((r) => r.refType === 'CHILD_OF' && r.traceID === span.traceID);
    if (!parent || ids.has(parent.spanID)) return span;
    const warning = `parent span ID=${parent.spanID} is not in the trace; skipping clock skew adjustment`;
    return { ...span, warnings: [...(span.warnings ?? []), warning] };
  });
  return { ...trace, spans: withWarnings };
}
