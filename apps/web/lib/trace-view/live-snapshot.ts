import { analyzeTrace } from '../trace-model/analyze';
import { endOf, type Trace } from '../trace-model/types';

/** Most rows the compact waterfall under a click shows; the full page has them all. */
export const LIVE_MAX_ROWS = 40;

/** One row of the compact waterfall. Offsets from the trace start, microseconds. */
export interface LiveRow {
  readonly key: string;
  readonly depth: number;
  readonly service: string;
  readonly name: string;
  readonly offsetUs: number;
  readonly durationUs: number;
  readonly error: boolean;
  readonly errorOrigin: boolean;
  readonly missingParent: boolean;
  /** Shifted for clock skew against its parent (its same-clock subtree moved with it, unmarked). */
  readonly clockSkewed: boolean;
}

/**
 * What the compact waterfall shows at one moment: plain JSON, sent by the
 * live route as the trace fills up.
 */
export interface LiveSnapshot {
  readonly traceId: string;
  readonly spanCount: number;
  /** In display order. */
  readonly services: readonly string[];
  /** Expected services with no span yet. */
  readonly missingServices: readonly string[];
  /** Spans whose parent has not arrived (yet). */
  readonly orphanCount: number;
  /**
   * Every expected service is present and no span waits for its parent:
   * a browser batch can bring a click's `process click` span a second
   * before the fetch span that parents the server side.
   */
  readonly complete: boolean;
  readonly durationUs: number;
  readonly errorCount: number;
  /** The first `LIVE_MAX_ROWS` rows in display order. */
  readonly rows: readonly LiveRow[];
  /** Spans left out of `rows`. */
  readonly hiddenCount: number;
}

/** The snapshot of `trace` (null: nothing stored yet); see `complete`. */
export function liveSnapshot(traceId: string, trace: Trace | null, expectedServices: readonly string[]): LiveSnapshot {
  if (trace === null || trace.spans.length === 0) {
    return {
      traceId,
      spanCount: 0,
      services: [],
      missingServices: [...expectedServices],
      orphanCount: 0,
      complete: false,
      durationUs: 0,
      errorCount: 0,
      rows: [],
      hiddenCount: 0,
    };
  }
  const analysis = analyzeTrace(trace);
  const { tree } = analysis;
  const missingServices = expectedServices.filter((service) => !analysis.services.includes(service));
  const originKey = analysis.errorOrigin?.node.key;
  const orphanCount = tree.roots.filter((root) => root.orphan === 'missing-parent').length;
  return {
    traceId,
    spanCount: tree.nodes.length,
    services: analysis.services,
    missingServices,
    orphanCount,
    complete: missingServices.length === 0 && orphanCount === 0,
    durationUs: analysis.durationUs,
    errorCount: analysis.errorCount,
    rows: tree.nodes.slice(0, LIVE_MAX_ROWS).map((node) => ({
      key: node.key,
      depth: node.depth,
      service: node.span.service,
      name: node.span.name,
      offsetUs: node.span.startUs - tree.startUs,
      durationUs: endOf(node.span) - node.span.startUs,
      error: node.span.error,
      errorOrigin: node.key === originKey,
      missingParent: node.orphan === 'missing-parent',
      clockSkewed: analysis.clockSkew.get(node.key)?.sourceKey === node.key,
    })),
    hiddenCount: Math.max(0, tree.nodes.length - LIVE_MAX_ROWS),
  };
}
