import type { SpanNode, TraceTree } from './tree';
import { endOf, type TraceSpan } from '@tracelens/jaeger-query/model';

/** Event name OpenTelemetry's `recordException` uses. */
export const EXCEPTION_EVENT = 'exception';

export interface ErrorOrigin {
  readonly node: SpanNode;
  /** When the error happened: its first exception event, else the span's end. Microseconds. */
  readonly atUs: number;
  /** The exception message, else the status description; null when the span says neither. */
  readonly message: string | null;
}

/** The exception message of the span's first exception event, else its status description. */
export function errorMessage(span: TraceSpan): string | null {
  const exception = span.events.find((event) => event.name === EXCEPTION_EVENT);
  const message = exception?.attributes.find((attribute) => attribute.key === 'exception.message')?.value;
  if (message !== undefined && message !== '') return String(message);
  const status = span.attributes.find((attribute) => attribute.key === 'otel.status_description')?.value;
  return status !== undefined && status !== '' ? String(status) : null;
}

function errorTime(span: TraceSpan): number {
  const exception = span.events.find((event) => event.name === EXCEPTION_EVENT);
  return exception?.timeUs ?? endOf(span);
}

/**
 * Where the first error originated. A span in ERROR is explained when one of
 * its children is in ERROR too (the failure came up from below, as when a
 * server answers 500 and every caller fails in turn); the spans left are
 * where errors started. Of those, the one whose error happened first wins,
 * then the deepest, then the first in display order. Null when no span is in
 * ERROR. Expects a tree whose clock skew is already adjusted.
 */
export function errorOrigin(tree: TraceTree): ErrorOrigin | null {
  let best: ErrorOrigin | null = null;
  for (const node of tree.nodes) {
    if (!node.span.error || node.children.some((child) => child.span.error)) continue;
    const atUs = errorTime(node.span);
    if (best === null || atUs < best.atUs || (atUs === best.atUs && node.depth > best.node.depth)) {
      best = { node, atUs, message: errorMessage(node.span) };
    }
  }
  return best;
}
