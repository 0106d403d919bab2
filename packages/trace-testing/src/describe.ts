import { servicesOf, type Trace, type TraceSpan } from '@tracelens/jaeger-query/model';

/** The spans whose parent is `span`. */
export function childrenOf(trace: Trace, span: TraceSpan): TraceSpan[] {
  return trace.spans.filter((s) => s.parentSpanId === span.spanId);
}

/**
 * The trace as an indented tree, for failure messages: one line per span
 * with service, name, kind, duration and error mark; spans whose parent is
 * missing are listed at the top level with a note.
 */
export function describeTrace(trace: Trace): string {
  const ids = new Set(trace.spans.map((s) => s.spanId));
  const lines: string[] = [`trace ${trace.traceId}: ${trace.spans.length} spans from ${servicesOf(trace).join(', ') || 'no services'}`];
  const byStart = (a: TraceSpan, b: TraceSpan) => a.startUs - b.startUs;
  const visit = (span: TraceSpan, depth: number, seen: Set<string>) => {
    if (seen.has(span.spanId)) return;
    seen.add(span.spanId);
    const orphan = span.parentSpanId !== null && !ids.has(span.parentSpanId) ? `  (parent ${span.parentSpanId} missing)` : '';
    const kind = span.kind === 'unspecified' ? '' : ` [${span.kind}]`;
    const error = span.error ? '  ERROR' : '';
    lines.push(`${'  '.repeat(depth + 1)}${span.service}: ${span.name}${kind} ${(span.durationUs / 1000).toFixed(1)}ms (${span.spanId})${error}${orphan}`);
    for (const child of childrenOf(trace, span).sort(byStart)) visit(child, depth + 1, seen);
  };
  const seen = new Set<string>();
  for (const top of trace.spans.filter((s) => s.parentSpanId === null || !ids.has(s.parentSpanId)).sort(byStart)) visit(top, 0, seen);
  return lines.join('\n');
}
