import { adjustClockSkew } from './clock-skew';
import { buildTree, mainRoot } from './tree';
import type { Trace } from '@tracelens/jaeger-query/model';

/** One line of a search result: plain data, safe to pass from a server to a client component. */
export interface TraceSummary {
  readonly traceId: string;
  /** Of the main root span (see `mainRoot`); `null` for a trace without spans. */
  readonly rootService: string | null;
  readonly rootName: string | null;
  /** True when the main root span itself names a parent that never arrived. */
  readonly rootIsOrphan: boolean;
  /** Earliest span start, microseconds since the epoch. */
  readonly startUs: number;
  /** Earliest start to latest end, clock skew adjusted, microseconds. */
  readonly durationUs: number;
  readonly spanCount: number;
  readonly errorCount: number;
  /** Services by number of spans, most first (then by name). */
  readonly services: readonly { readonly service: string; readonly spanCount: number }[];
}

export function summarizeTrace(trace: Trace): TraceSummary {
  const { tree } = adjustClockSkew(buildTree(trace.spans));
  const root = mainRoot(tree);
  const counts = new Map<string, number>();
  let errorCount = 0;
  for (const { span } of tree.nodes) {
    counts.set(span.service, (counts.get(span.service) ?? 0) + 1);
    if (span.error) errorCount += 1;
  }
  return {
    traceId: trace.traceId,
    rootService: root?.span.service ?? null,
    rootName: root?.span.name ?? null,
    rootIsOrphan: root?.orphan !== null && root?.orphan !== undefined,
    startUs: tree.startUs,
    durationUs: tree.endUs - tree.startUs,
    spanCount: tree.nodes.length,
    errorCount,
    services: [...counts.entries()]
      .map(([service, spanCount]) => ({ service, spanCount }))
      .sort((a, b) => b.spanCount - a.spanCount || a.service.localeCompare(b.service)),
  };
}
