import { endOf, type TraceSpan } from '@tracelens/jaeger-query/model';

/** Why a span sits at the top level although it names a parent. */
export type OrphanReason = 'missing-parent' | 'cycle';

export interface SpanNode {
  /**
   * Unique within the tree: the span id, or `{spanId}~{n}` for the n-th span
   * that repeats an id already seen (n from 2). Stable for the same input order.
   */
  readonly key: string;
  readonly span: TraceSpan;
  readonly parent: SpanNode | null;
  /** Ordered by start time, then by input order. */
  readonly children: readonly SpanNode[];
  /** 0 for top-level spans. */
  readonly depth: number;
  /** Position in `TraceTree.nodes`. */
  readonly index: number;
  /** Position of the span in the input of `buildTree`. */
  readonly order: number;
  /** Number of descendants; they follow this node in `TraceTree.nodes`. */
  readonly descendantCount: number;
  /** Set when the span names a parent but is shown at the top level. */
  readonly orphan: OrphanReason | null;
  /** An earlier span in the trace has the same span id (children attach to the first one). */
  readonly duplicateId: boolean;
}

export interface TraceTree {
  /** Top-level spans (true roots and orphans), by start time. */
  readonly roots: readonly SpanNode[];
  /** Every span once, depth first (the display order); a subtree is contiguous. */
  readonly nodes: readonly SpanNode[];
  readonly byKey: ReadonlyMap<string, SpanNode>;
  /** Earliest start and latest end over all spans (microseconds); 0 and 0 for an empty trace. */
  readonly startUs: number;
  readonly endUs: number;
}

interface MutableNode {
  key: string;
  span: TraceSpan;
  parent: MutableNode | null;
  children: MutableNode[];
  depth: number;
  index: number;
  descendantCount: number;
  orphan: OrphanReason | null;
  duplicateId: boolean;
  order: number;
}

const byStart = (a: MutableNode, b: MutableNode): number => a.span.startUs - b.span.startUs || a.order - b.order;

/**
 * Nests spans under their parents. Nothing is dropped:
 * - a span whose parent is not in the trace is a top-level `missing-parent` orphan;
 * - spans whose parent links loop (A under B under A, or a span its own
 *   parent) are cut at one member of the loop, which becomes a `cycle` orphan;
 * - a repeated span id keeps its span under a distinct key (`id~2`), and
 *   children attach to the first span with that id.
 * Runs in O(n log n) and without recursion, so deep traces cannot overflow the stack.
 */
export function buildTree(spans: readonly TraceSpan[]): TraceTree {
  const firstById = new Map<string, MutableNode>();
  const seenCount = new Map<string, number>();
  const all: MutableNode[] = spans.map((span, order) => {
    const count = (seenCount.get(span.spanId) ?? 0) + 1;
    seenCount.set(span.spanId, count);
    const node: MutableNode = {
      key: count === 1 ? span.spanId : `${span.spanId}~${count}`,
      span,
      parent: null,
      children: [],
      depth: 0,
      index: -1,
      descendantCount: 0,
      orphan: null,
      duplicateId: count > 1,
      order,
    };
    if (count === 1) firstById.set(span.spanId, node);
    return node;
  });

  const roots: MutableNode[] = [];
  for (const node of all) {
    const parentId = node.span.parentSpanId;
    if (parentId === null) {
      roots.push(node);
      continue;
    }
    const parent = firstById.get(parentId);
    if (parent === undefined) {
      node.orphan = 'missing-parent';
      roots.push(node);
    } else {
      node.parent = parent;
      parent.children.push(node);
    }
  }

  // Anything not reachable from a root hangs in a parent loop. Walk up from it
  // until a node repeats (that one is on the loop), cut the loop there, and
  // make the cut node a top-level orphan.
  const reachable = markReachable(roots);
  for (const node of all) {
    if (reachable.has(node)) continue;
    const onPath = new Set<MutableNode>();
    let cursor: MutableNode = node;
    while (!onPath.has(cursor) && cursor.parent !== null) {
      onPath.add(cursor);
      cursor = cursor.parent;
    }
    const cut = cursor;
    if (cut.parent !== null) {
      const siblings = cut.parent.children;
      siblings.splice(siblings.indexOf(cut), 1);
      cut.parent = null;
    }
    cut.orphan = 'cycle';
    roots.push(cut);
    for (const found of markReachable([cut])) reachable.add(found);
  }

  roots.sort(byStart);
  for (const node of all) node.children.sort(byStart);

  // Depth-first order with an explicit stack; descendant counts on the way back.
  const nodes: MutableNode[] = [];
  const stack: { node: MutableNode; depth: number }[] = [];
  for (let i = roots.length - 1; i >= 0; i -= 1) stack.push({ node: roots[i] as MutableNode, depth: 0 });
  while (stack.length > 0) {
    const { node, depth } = stack.pop() as { node: MutableNode; depth: number };
    node.depth = depth;
    node.index = nodes.length;
    nodes.push(node);
    for (let i = node.children.length - 1; i >= 0; i -= 1) stack.push({ node: node.children[i] as MutableNode, depth: depth + 1 });
  }
  for (let i = nodes.length - 1; i >= 0; i -= 1) {
    const node = nodes[i] as MutableNode;
    if (node.parent !== null) node.parent.descendantCount += node.descendantCount + 1;
  }

  let startUs = Number.POSITIVE_INFINITY;
  let endUs = Number.NEGATIVE_INFINITY;
  for (const { span } of all) {
    startUs = Math.min(startUs, span.startUs);
    endUs = Math.max(endUs, endOf(span));
  }
  return {
    roots,
    nodes,
    byKey: new Map(nodes.map((node) => [node.key, node])),
    startUs: nodes.length === 0 ? 0 : startUs,
    endUs: nodes.length === 0 ? 0 : endUs,
  };
}

function markReachable(from: readonly MutableNode[]): Set<MutableNode> {
  const seen = new Set<MutableNode>();
  const stack = [...from];
  while (stack.length > 0) {
    const node = stack.pop() as MutableNode;
    if (seen.has(node)) continue;
    seen.add(node);
    stack.push(...node.children);
  }
  return seen;
}

/**
 * The span the trace is about: the top-level span that starts first (the
 * longest on ties). Orphans that arrived without their parent rarely start first.
 */
export function mainRoot(tree: TraceTree): SpanNode | undefined {
  let best: SpanNode | undefined;
  for (const root of tree.roots) {
    if (
      best === undefined ||
      root.span.startUs < best.span.startUs ||
      (root.span.startUs === best.span.startUs && root.span.durationUs > best.span.durationUs)
    ) {
      best = root;
    }
  }
  return best;
}

/** The node a `?span=` value names: a key, else the first span with that span id. */
export function findNode(tree: TraceTree, spanIdOrKey: string): SpanNode | undefined {
  const wanted = spanIdOrKey.toLowerCase();
  return tree.byKey.get(wanted) ?? tree.nodes.find((node) => node.span.spanId === wanted);
}

/** Ancestors of a node, nearest first. */
export function ancestorsOf(node: SpanNode): SpanNode[] {
  const out: SpanNode[] = [];
  for (let cursor = node.parent; cursor !== null; cursor = cursor.parent) out.push(cursor);
  return out;
}

/**
 * The rows to show when the nodes in `collapsed` (by key) have their
 * subtrees hidden, in display order. O(rows shown + collapsed subtrees skipped).
 */
export function visibleNodes(tree: TraceTree, collapsed: ReadonlySet<string>): SpanNode[] {
  const out: SpanNode[] = [];
  const { nodes } = tree;
  for (let i = 0; i < nodes.length; ) {
    const node = nodes[i] as SpanNode;
    out.push(node);
    i += collapsed.has(node.key) ? node.descendantCount + 1 : 1;
  }
  return out;
}
