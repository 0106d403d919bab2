import { ATTR_HOST_ID, ATTR_HOST_IP, ATTR_HOST_NAME, ATTR_JAEGER_CLIENT_IP } from '@/lib/shared/attributes';
import { queuedInterval } from './queued';
import { buildTree, type TraceTree } from './tree';
import { endOf, type AttributeValue, type TraceSpan } from '@tracelens/jaeger-query/model';

/**
 * Clock skew adjustment, after Jaeger's query-side adjuster
 * (cmd/query/app/querysvc/v2/adjuster/clockskew.go in Jaeger v1.75 / 2.12).
 * Spans recorded on different hosts' clocks (the browser and the servers)
 * can appear to start before their parent or end after it. Walking the tree
 * from the roots:
 *
 * - a span on the same clock as its parent inherits the parent's shift, so a
 *   subtree moves as a whole, and a child that outlasts its same-clock parent
 *   (async work, a whole-millisecond parent around a microsecond child) is
 *   left where it is: on one clock the gap is real, not skew;
 * - a span on another clock is compared with its (already shifted) parent:
 *   if it fits inside, it is left alone; if it is not longer than the parent
 *   it is centred in it (network latency assumed equal both ways); if it is
 *   longer, it is only moved so it does not start before the parent.
 *
 * A clock is the host, keyed as Jaeger keys it on the span's resource:
 * `host.id`, else `host.ip` (or the `ip` process tag of Jaeger's own
 * clients), else `host.name`. Each Node tier reports them (packages/otel-node
 * and lib/server/tracing.ts run OpenTelemetry's host detector), so the
 * frontend-api and the data-processor on one machine are one clock.
 *
 * Where Jaeger treats a span with no host as a clock of its own, compared
 * with its parent every time, here its clock is its service. That is the
 * browser: it cannot know its host, and it really is another clock (the web
 * SDK times spans from `performance.timeOrigin`, which drifts from the
 * system clock the servers read, even on the same machine), but all of one
 * page's spans share it, so a fetch span that outlasts its click span is
 * not skew either.
 *
 * A browser fetch span's request may have waited in the browser before it
 * was sent (`fetch.queued_ms`): its children are fitted into the part after
 * that wait (see `windowForChildren`).
 *
 * Top-level spans (roots and orphans whose parent never arrived) are never
 * moved, as in Jaeger. Unlike Jaeger (whose default `max-clock-skew-adjust`
 * of 0 turns the adjuster off), no shift is too large. Durations never
 * change; event times move with their span.
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

/**
 * Resource attributes that name a host, in Jaeger's order of preference
 * (`hostKey` in its adjuster); `ip` is the process tag Jaeger's own clients
 * report, ranked with `host.ip`.
 */
const HOST_KEYS = [ATTR_HOST_ID, ATTR_HOST_IP, ATTR_JAEGER_CLIENT_IP, ATTR_HOST_NAME] as const;

/** Which clock a span was timed with (see above): its host, else its service. */
export function clockOf(span: TraceSpan): string {
  for (const key of HOST_KEYS) {
    const value = span.resource.find((attribute) => attribute.key === key)?.value;
    // host.ip is a list in OTLP; the store writes it as JSON, and Jaeger takes the first address.
    if (value !== undefined && value !== '') return `host:${firstAddress(value)}`;
  }
  return `service:${span.service}`;
}

function firstAddress(value: AttributeValue): string {
  if (typeof value !== 'string' || !value.startsWith('[')) return String(value);
  try {
    const list: unknown = JSON.parse(value);
    return Array.isArray(list) && list.length > 0 ? String(list[0]) : value;
  } catch {
    return value;
  }
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

/**
 * The part of `parent` in which a child on another clock can have run: all
 * of it, except for a browser fetch span whose request was queued in the
 * browser (`queuedInterval`), before which no server had it. Without this, a
 * server span that sticks out of a 5 s fetch span by a fraction of a
 * millisecond (the browser ends its fetch spans on `Date.now()`, in whole
 * milliseconds) would be centred in all 5 s, seconds before its request
 * left the browser; in the window after the queue, it moves by about that
 * fraction.
 */
function windowForChildren(parent: TraceSpan): Pick<TraceSpan, 'startUs' | 'durationUs'> {
  const queued = queuedInterval(parent);
  return queued === null ? parent : { startUs: queued.endUs, durationUs: endOf(parent) - queued.endUs };
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
          : { clock, deltaUs: skewDelta(node.span, windowForChildren(adjustedByKey.get(parent.key) as TraceSpan)), sourceKey: node.key };
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
