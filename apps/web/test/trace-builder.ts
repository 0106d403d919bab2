import type { Attribute, SpanEvent, SpanKind, TraceSpan } from '@tracelens/jaeger-query/model';

/** Hand-built traces for the trace model tests. Times are microseconds after `T0`. */

export const T0 = 1_700_000_000_000_000;
export const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';

export interface SpanSpec {
  parent?: string | null;
  service?: string;
  name?: string;
  kind?: SpanKind;
  /** Microseconds after T0. */
  start?: number;
  duration?: number;
  error?: boolean;
  attributes?: Record<string, string | number | boolean>;
  resource?: Record<string, string | number | boolean>;
  /** `at` in microseconds after T0. */
  events?: { name: string; at: number; attributes?: Record<string, string> }[];
}

const toAttributes = (record: Record<string, string | number | boolean> = {}): Attribute[] =>
  Object.entries(record).map(([key, value]) => ({ key, value }));

export function span(spanId: string, spec: SpanSpec = {}): TraceSpan {
  const service = spec.service ?? 'svc';
  const events: SpanEvent[] = (spec.events ?? []).map((event) => ({
    name: event.name,
    timeUs: T0 + event.at,
    attributes: toAttributes(event.attributes),
  }));
  const parent = spec.parent ?? null;
  return {
    traceId: TRACE_ID,
    spanId,
    parentSpanId: parent,
    service,
    name: spec.name ?? spanId,
    kind: spec.kind ?? 'internal',
    startUs: T0 + (spec.start ?? 0),
    durationUs: spec.duration ?? 0,
    error: spec.error ?? false,
    attributes: toAttributes(spec.attributes),
    resource: [{ key: 'service.name', value: service }, ...toAttributes(spec.resource)],
    events,
    references: parent === null ? [] : [{ type: 'CHILD_OF', traceId: TRACE_ID, spanId: parent }],
    warnings: [],
  };
}

/** A 16-hex-digit span id from a number. */
export const sid = (n: number): string => n.toString(16).padStart(16, '0');

/**
 * A trace of `count` spans: a root, then each span's parent is `parentOf(i)`
 * (an index below i). Each span lasts 1 ms less per level than its parent's
 * budget; starts are spread so siblings overlap a little.
 */
export function bigTrace(count: number, parentOf: (i: number) => number, serviceOf: (i: number) => string = () => 'svc'): TraceSpan[] {
  const spans: TraceSpan[] = [];
  const starts: number[] = [];
  const durations: number[] = [];
  for (let i = 0; i < count; i += 1) {
    if (i === 0) {
      starts.push(0);
      durations.push(count * 10);
      spans.push(span(sid(1), { service: serviceOf(0), start: 0, duration: count * 10 }));
      continue;
    }
    const p = parentOf(i);
    const start = (starts[p] as number) + 1;
    const duration = Math.max(0, (durations[p] as number) - 2);
    starts.push(start);
    durations.push(duration);
    spans.push(span(sid(i + 1), { parent: sid(p + 1), service: serviceOf(i), start, duration }));
  }
  return spans;
}
