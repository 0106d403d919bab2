import { queuedInterval, type Interval } from './queued';
import { mainRoot, type SpanNode, type TraceTree } from './tree';
import { endOf } from '@tracelens/jaeger-query/model';

/** A stretch of time, on one span, that the end-to-end time waited for. Microseconds. */
export interface CriticalSection {
  readonly key: string;
  readonly startUs: number;
  readonly endUs: number;
  /**
   * The span's request was queued in the browser then (`queuedInterval`):
   * on the path, since the trace waited for it, but not the span's work.
   */
  readonly queued: boolean;
}

export interface CriticalPath {
  /** The top-level span the path runs under. */
  readonly rootKey: string;
  /** In time order; they tile the root's window with no gaps or overlaps. */
  readonly sections: readonly CriticalSection[];
  /** Keys of the spans with at least one section. */
  readonly keys: ReadonlySet<string>;
  /** How much of the path was requests queued in the browser, microseconds. */
  readonly queuedUs: number;
}

interface Window {
  readonly node: SpanNode;
  readonly startUs: number;
  readonly endUs: number;
}

/**
 * The critical path, after Jaeger UI's algorithm (TracePage/CriticalPath):
 * walk back in time from the end of the root span. Within a span, the child
 * that finished last (before the point reached so far) is what the span was
 * waiting for: the time after that child ended is the span's own, then the
 * walk descends into that child. When a span has no child left that finished
 * in time, everything back to its start is its own and the walk returns to its
 * parent at the moment it started.
 *
 * As in Jaeger UI, children are first clipped to their parent's window and
 * those entirely outside it are ignored (with their subtrees), and only
 * `CHILD_OF` children count (that is all this tree nests). Unlike it, a child
 * ending exactly when its later sibling starts still counts (Jaeger compares
 * strictly), zero-length sections are left out (and back-to-back sections
 * of one span merged), and the walk is iterative,
 * each child considered once, so it is linear after sorting.
 *
 * The path runs under `mainRoot`; other top-level spans (orphans) are not on it. Expects a tree whose
 * clock skew is already adjusted. A section over the time a browser request
 * waited in the browser before it was sent (`queuedInterval`) is cut out
 * and marked `queued`: the trace waited for it, but it is no span's work.
 */
export function criticalPath(tree: TraceTree): CriticalPath | null {
  const root = mainRoot(tree);
  if (root === undefined) return null;

  const rootWindow: Window = { node: root, startUs: root.span.startUs, endUs: endOf(root.span) };
  const windows = new Map<SpanNode, Window>([[root, rootWindow]]);
  // Children of each visited span, clipped, latest end first; `next` is how far
  // the walk has consumed them (each is used at most once).
  const candidates = new Map<SpanNode, { list: Window[]; next: number }>();
  const childrenOf = (parent: Window) => {
    let entry = candidates.get(parent.node);
    if (entry === undefined) {
      const list: Window[] = [];
      for (const child of parent.node.children) {
        const startUs = Math.max(child.span.startUs, parent.startUs);
        const endUs = Math.min(endOf(child.span), parent.endUs);
        // Entirely outside the parent (a zero-length child on its edge is inside).
        if (endUs < startUs || (endUs === startUs && child.span.durationUs > 0)) continue;
        const window = { node: child, startUs, endUs };
        windows.set(child, window);
        list.push(window);
      }
      list.sort((a, b) => b.endUs - a.endUs || b.startUs - a.startUs);
      entry = { list, next: 0 };
      candidates.set(parent.node, entry);
    }
    return entry;
  };

  const reversed: Omit<CriticalSection, 'queued'>[] = [];
  const push = (key: string, startUs: number, endUs: number) => {
    if (endUs <= startUs) return;
    const last = reversed.at(-1);
    // Back-to-back stretches of one span (around a zero-length child) are one.
    if (last !== undefined && last.key === key && last.startUs === endUs) {
      reversed[reversed.length - 1] = { key, startUs, endUs: last.endUs };
    } else {
      reversed.push({ key, startUs, endUs });
    }
  };

  let current = rootWindow;
  let bound = rootWindow.endUs;
  for (;;) {
    const entry = childrenOf(current);
    while (entry.next < entry.list.length && (entry.list[entry.next] as Window).endUs > bound) entry.next += 1;
    const lastFinishing = entry.list[entry.next];
    if (lastFinishing !== undefined) {
      entry.next += 1;
      push(current.node.key, lastFinishing.endUs, bound);
      current = lastFinishing;
      bound = lastFinishing.endUs;
      continue;
    }
    push(current.node.key, current.startUs, bound);
    if (current === rootWindow) break;
    bound = current.startUs;
    current = windows.get(current.node.parent as SpanNode) as Window;
  }

  const walked = reversed.reverse();
  if (walked.length === 0) {
    // A zero-length root: the path is the root alone.
    walked.push({ key: root.key, startUs: rootWindow.startUs, endUs: rootWindow.endUs });
  }
  const sections = walked.flatMap((section) => splitQueued(section, queuedInterval((tree.byKey.get(section.key) as SpanNode).span)));
  const queuedUs = sections.reduce((sum, section) => (section.queued ? sum + section.endUs - section.startUs : sum), 0);
  return { rootKey: root.key, sections, keys: new Set(sections.map((section) => section.key)), queuedUs };
}

/** `section` cut where its span's request was queued in the browser (see `CriticalSection.queued`). */
function splitQueued(section: Omit<CriticalSection, 'queued'>, queued: Interval | null): CriticalSection[] {
  if (queued === null || queued.endUs <= section.startUs || queued.startUs >= section.endUs) return [{ ...section, queued: false }];
  const pieces: CriticalSection[] = [];
  if (section.startUs < queued.startUs) pieces.push({ ...section, endUs: queued.startUs, queued: false });
  pieces.push({ ...section, startUs: Math.max(section.startUs, queued.startUs), endUs: Math.min(section.endUs, queued.endUs), queued: true });
  if (queued.endUs < section.endUs) pieces.push({ ...section, startUs: queued.endUs, queued: false });
  return pieces;
}
