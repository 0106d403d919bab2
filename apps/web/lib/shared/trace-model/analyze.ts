import { adjustClockSkew, type ClockSkewAdjustment } from './clock-skew';
import { criticalPath, type CriticalPath } from './critical-path';
import { errorOrigin, type ErrorOrigin } from './error-origin';
import { selfTimes, type SelfTimes } from './self-time';
import { buildTree, mainRoot, type SpanNode, type TraceTree } from './tree';
import type { Trace } from '@tracelens/jaeger-query/model';

/** Everything the trace views show about one trace, computed once. */
export interface TraceAnalysis {
  readonly traceId: string;
  /** Nested, with clock skew adjusted. */
  readonly tree: TraceTree;
  readonly root: SpanNode | null;
  readonly clockSkew: ReadonlyMap<string, ClockSkewAdjustment>;
  readonly criticalPath: CriticalPath | null;
  readonly selfTimes: SelfTimes;
  readonly errorOrigin: ErrorOrigin | null;
  /** Services in the order they first appear in the display order. */
  readonly services: readonly string[];
  readonly errorCount: number;
  readonly durationUs: number;
  readonly warnings: readonly string[];
}

/** Tree, then clock skew, then the measures that need adjusted times. */
export function analyzeTrace(trace: Trace): TraceAnalysis {
  const { tree, adjustments } = adjustClockSkew(buildTree(trace.spans));
  const services: string[] = [];
  const seen = new Set<string>();
  let errorCount = 0;
  for (const node of tree.nodes) {
    if (!seen.has(node.span.service)) {
      seen.add(node.span.service);
      services.push(node.span.service);
    }
    if (node.span.error) errorCount += 1;
  }
  return {
    traceId: trace.traceId,
    tree,
    root: mainRoot(tree) ?? null,
    clockSkew: adjustments,
    criticalPath: criticalPath(tree),
    selfTimes: selfTimes(tree),
    errorOrigin: errorOrigin(tree),
    services,
    errorCount,
    durationUs: tree.endUs - tree.startUs,
    warnings: trace.warnings,
  };
}
