import { queuedInterval } from './queued';
import type { SpanNode, TraceTree } from './tree';
import { endOf } from '@tracelens/jaeger-query/model';

/**
 * Self time: the part of a span's duration when none of its children was
 * running, i.e. its duration minus the union of its children's intervals
 * clipped to the span (overlapping children count once; time a child spends
 * outside its parent is not the parent's). Time a browser request spent
 * queued in the browser before it was sent (`queuedInterval`) is not the
 * span's work either: it counts like a child. Microseconds. Expects a tree
 * whose clock skew is already adjusted.
 */
export function selfTimeOf(node: SpanNode): number {
  const startUs = node.span.startUs;
  const endUs = endOf(node.span);
  // The queue sits at the span's start, before every child (sorted by start), so the sweep begins with it.
  const queued = queuedInterval(node.span);
  let busyUs = queued === null ? 0 : queued.endUs - queued.startUs;
  let coveredTo = queued === null ? startUs : queued.endUs;
  // Children are sorted by start time, so one sweep merges their intervals.
  for (const child of node.children) {
    const from = Math.max(child.span.startUs, coveredTo);
    const to = Math.min(endOf(child.span), endUs);
    if (to > from) {
      busyUs += to - from;
      coveredTo = to;
    }
  }
  return node.span.durationUs - busyUs;
}

export interface ServiceSelfTime {
  readonly service: string;
  readonly selfTimeUs: number;
  readonly spanCount: number;
}

export interface SelfTimes {
  readonly byKey: ReadonlyMap<string, number>;
  /** Time requests spent queued in the browser (in no span's self time), summed over the trace. */
  readonly queuedUs: number;
  /** Largest self time first (then by name). */
  readonly byService: readonly ServiceSelfTime[];
  /** The span with the largest self time (the first in display order on ties); null for an empty trace. */
  readonly largest: SpanNode | null;
}

export function selfTimes(tree: TraceTree): SelfTimes {
  const byKey = new Map<string, number>();
  const services = new Map<string, { selfTimeUs: number; spanCount: number }>();
  let largest: SpanNode | null = null;
  let largestUs = -1;
  let queuedUs = 0;
  for (const node of tree.nodes) {
    const self = selfTimeOf(node);
    const queued = queuedInterval(node.span);
    if (queued !== null) queuedUs += queued.endUs - queued.startUs;
    byKey.set(node.key, self);
    const service = services.get(node.span.service) ?? { selfTimeUs: 0, spanCount: 0 };
    service.selfTimeUs += self;
    service.spanCount += 1;
    services.set(node.span.service, service);
    if (self > largestUs) {
      largest = node;
      largestUs = self;
    }
  }
  const byService = [...services.entries()]
    .map(([service, totals]) => ({ service, ...totals }))
    .sort((a, b) => b.selfTimeUs - a.selfTimeUs || a.service.localeCompare(b.service));
  return { byKey, queuedUs, byService, largest };
}
