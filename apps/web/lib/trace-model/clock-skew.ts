import { buildTree, type TraceTree } from './tree';
import { endOf, type TraceSpan } from './types';

/**
 * Clock skew adjustment, after Jaeger's query-side adjuster
 * (jaeger/model/adjuster/clockskew.go). Spans recorded on different clocks
 * (the browser and the servers) can appear to start before their parent or
 * end after it. Walking the tree from the roots:
 *
 * - a span on the same clock as its parent inherits the parent's shift, so a
 *   subtree moves as a whole;
 * - a span on another clock is compared with its (already shifted) parent:
 *   if it fits inside, it is left alone; if it is not longer than the parent
 *   it is centred in it (network latency assumed equal both ways); if it is
 *   longer, it is only moved so it does not start before the parent.
 *
 * Jaeger tells clocks apart by the process `ip` tag and treats spans without
 * one as being each on its own clock. OpenTelemetry resources rarely carry
 * an `ip`, so here a clock is the host (`ip`, `host.id` or `host.name`
 * resource attribute) when known, else the service: the browser is always
 * its own clock, and two services on one host share theirs.
 *
 * Top-level spans (roots and orphans whose parent never arrived) are never
 * moved, as in Jaeger. Durations never change; event times move with their span.
 */

export interface ClockSkewAdjustment {
  /** Microseconds added to the span's start (negative: moved earlier). */
  readonly deltaUs: number;
  /** The span whose comparison with its parent produced the shift: this span, or an ancestor on the same clock. */
  readonly sourceKey: string;
}

export interface ClockSkewResult {
  /** The tree with shifted spans; same keys and nesting as the input. */
  readonly tree: TraceTree;
  /** Only the spans that moved, by node key. */
  readonly adjustments: ReadonlyMap<string, ClockSkewAdjustment>;
}

const HOST_KEYS = ['ip', 'host.id', 'host.name'] as const;

/** Which clock a span was timed with (see above). */
export function clockOf(span: TraceSpan): string {
  for (const key of HOST_KEYS) {
    const value = span.resource.find((attribute) => attribute.key === key)?.value;
    if (value !== undefined && value !== '') return `host:${String(value)}`;
  }
  return `service:${span.service}`;
}

/** The shift that puts `child` inside `parent` (both as drawn), per Jaeger's rule. */
export function skewDelta(child: Pick<TraceSpan, 'startUs' | 'durationUs'>, parent: Pick<TraceSpan, 'startUs' | 'durationUs'>): number {
  if (child.durationUs > parent.durationUs) {
    // Longer than the parent: async work, or the parent gave up waiting.
    // All that can be said is that it cannot have started first.
    return child.startUs < parent.startUs ? parent.startUs - child.startUs : 0;
  }
  if (child.startUs >= parent.startUs && endOf(child) <= endOf(parent)) {
    return 0;
  }
  const latency = Math.trunc((parent.durationUs - child.durationUs) / 2);
  return parent.startUs + latency - child.startUs;
}

function shifted(span: TraceSpan, deltaUs: number): TraceSpan {
  return {
    ...span,
    startUs: span.startUs + deltaUs,
    events: span.events.map((event) => ({ ...event, timeUs: event.timeUs + deltaUs })),
  };
}

export function adjustClockSkew(tree: TraceTree): ClockSkewResult {
  const adjustedByKey = new Map<string, TraceSpan>();
  const adjustments = new Map<string, ClockSkewAdjustment>();
  // Parents come before their children in `nodes`, so every parent is final
  // when its children are looked at; each node carries the skew it passes down.
  const skewOf = new Map<string, { clock: string; deltaUs: number; sourceKey: string }>();
  for (const node of tree.nodes) {
    let skew: { clock: string; deltaUs: number; sourceKey: string };
    const clock = clockOf(node.span);
    const parent = node.parent;
    if (parent === null) {
      skew = { clock, deltaUs: 0, sourceKey: node.key };
    } else {
      const inherited = skewOf.get(parent.key) as { clock: string; deltaUs: number; sourceKey: string };
      skew =
        inherited.clock === clock
          ? inherited
          : { clock, deltaUs: skewDelta(node.span, adjustedByKey.get(parent.key) as TraceSpan), sourceKey: node.key };
    }
    skewOf.set(node.key, skew);
    adjustedByKey.set(node.key, skew.deltaUs === 0 ? node.span : shifted(node.span, skew.deltaUs));
    if (skew.deltaUs !== 0) adjustments.set(node.key, { deltaUs: skew.deltaUs, sourceKey: skew.sourceKey });
  }
  if (adjustments.size === 0) {
    return { tree, adjustments };
  }
  return { tree: rebuildWithSpans(tree, adjustedByKey), adjustments };
}

/**
 * The same nesting with other span values: rebuilt from the spans in their
 * original input order, so keys, duplicates and orphans come out identical
 * and only the order of siblings follows the new start times.
 */
function rebuildWithSpans(tree: TraceTree, spanByKey: ReadonlyMap<string, TraceSpan>): TraceTree {
  const inputOrder = [...tree.nodes].sort((a, b) => a.order - b.order);
  return buildTree(inputOrder.map((node) => spanByKey.get(node.key) as TraceSpan));
}
