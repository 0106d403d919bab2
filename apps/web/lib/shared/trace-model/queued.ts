import { ATTR_FETCH_QUEUED_MS } from '@/lib/shared/attributes';
import { endOf, type TraceSpan } from '@tracelens/jaeger-query/model';

/** A stretch of a span, in microseconds since the epoch. */
export interface Interval {
  readonly startUs: number;
  readonly endUs: number;
}

/**
 * The part of a browser fetch span its request spent queued in the browser
 * before it was sent (`fetch.queued_ms`, see lib/shared/attributes.ts), or null.
 * The wait is placed at the start of the span, clipped to it: the fetch
 * span starts when `fetch()` is called, and before the request goes out
 * there is only the wait and, on a new connection, the DNS lookup and the
 * connection set-up (the attribute leaves those out, so the segment is off
 * by at most their few milliseconds).
 *
 * Not the span's own work: self time and the critical path leave it out
 * (lib/shared/trace-model/self-time.ts, critical-path.ts) and the views label it
 * "queued in the browser".
 */
export function queuedInterval(span: TraceSpan): Interval | null {
  const value = span.attributes.find((attribute) => attribute.key === ATTR_FETCH_QUEUED_MS)?.value;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) return null;
  const endUs = Math.min(span.startUs + Math.round(value * 1_000), endOf(span));
  return endUs > span.startUs ? { startUs: span.startUs, endUs } : null;
}
