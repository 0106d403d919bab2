import type { JaegerSpan, JaegerTrace } from './jaeger-client.js';

/** A span as assertions see it: service resolved, parent id explicit, tags as a map. */
export interface SpanView {
  spanId: string;
  /** '' for a root span. */
  parentId: string;
  service: string;
  name: string;
  /** span.kind tag: server, client, internal, ... ('' when absent) */
  kind: string;
  tags: Record<string, string | number | boolean>;
  /** True when the span has ERROR status (Jaeger's `error` tag). */
  error: boolean;
  /** Event names (Jaeger logs' `event` field), e.g. "exception". */
  events: string[];
  startUs: number;
  durationUs: number;
  raw: JaegerSpan;
}

export interface TraceView {
  traceId: string;
  spans: SpanView[];
}

export function toTraceView(trace: JaegerTrace): TraceView {
  return {
    traceId: trace.traceID,
    spans: trace.spans.map((span) => {
      const tags = Object.fromEntries(span.tags.map((t) => [t.key, t.value]));
      const parent = span.references.find((r) => r.refType === 'CHILD_OF' && r.traceID === span.traceID);
      return {
        spanId: span.spanID,
        parentId: parent?.spanID ?? '',
        service: trace.processes[span.processID]?.serviceName ?? '?',
        name: span.operationName,
        kind: typeof tags['span.kind'] === 'string' ? tags['span.kind'] : '',
        tags,
        error: tags.error === true || tags.error === 'true',
        events: span.logs.map((log) => String(log.fields.find((f) => f.key === 'event')?.value ?? '')),
        startUs: span.startTime,
        durationUs: span.duration,
        raw: span,
      };
    }),
  };
}

export function services(view: TraceView): string[] {
  return [...new Set(view.spans.map((s) => s.service))].sort();
}

export function childrenOf(view: TraceView, span: SpanView): SpanView[] {
  return view.spans.filter((s) => s.parentId === span.spanId);
}

/**
 * The trace as an indented tree, for failure messages: one line per span
 * with service, name, kind, duration and error mark; spans whose parent is
 * missing are listed at the top level with a note.
 */
export function describeTrace(view: TraceView): string {
  const ids = new Set(view.spans.map((s) => s.spanId));
  const lines: string[] = [`trace ${view.traceId}: ${view.spans.length} spans from ${services(view).join(', ') || 'no services'}`];
  const byStart = (a: SpanView, b: SpanView) => a.startUs - b.startUs;
  const visit = (span: SpanView, depth: number, seen: Set<string>) => {
    if (seen.has(span.spanId)) return;
    seen.add(span.spanId);
    const orphan = span.parentId && !ids.has(span.parentId) ? `  (parent ${span.parentId} missing)` : '';
    const kind = span.kind ? ` [${span.kind}]` : '';
    const error = span.error ? '  ERROR' : '';
    lines.push(`${'  '.repeat(depth + 1)}${span.service}: ${span.name}${kind} ${(span.durationUs / 1000).toFixed(1)}ms (${span.spanId})${error}${orphan}`);
    for (const child of childrenOf(view, span).sort(byStart)) visit(child, depth + 1, seen);
  };
  const seen = new Set<string>();
  for (const top of view.spans.filter((s) => !s.parentId || !ids.has(s.parentId)).sort(byStart)) visit(top, 0, seen);
  return lines.join('\n');
}
