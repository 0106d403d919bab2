import { analyzeTrace } from '../trace-model/analyze';
import { queuedInterval } from '../trace-model/queued';
import { endOf, type Trace, type TraceSpan } from '../trace-model/types';
import { unansweredCalls, type UnansweredCall } from '../trace-model/unanswered';

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
  /** How long its request was queued in the browser, from the row's start (0: not a browser fetch, or not queued). */
  readonly queuedUs: number;
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
  /**
   * A span with no parent is in: the click itself. Spans are stored once
   * they end, so the work the user waited for is over; what is still
   * missing can only be late exports, or spans that will never come.
   */
  readonly rootArrived: boolean;
  /** Why the trace is not complete, as far as its spans tell; null when complete or empty. */
  readonly shortfall: Shortfall | null;
  readonly durationUs: number;
  readonly errorCount: number;
  /** The first `LIVE_MAX_ROWS` rows in display order. */
  readonly rows: readonly LiveRow[];
  /** Spans left out of `rows`. */
  readonly hiddenCount: number;
}

/** What keeps a trace from being complete, in one sentence. */
export interface Shortfall {
  /** For the status line, e.g. "The data-processor never received the request: connection refused (…)". */
  readonly explanation: string;
  /**
   * The spans prove that nothing more can come: a call failed before it
   * reached the service that is missing (connection refused, host not found).
   * Otherwise the rest may still be on its way, or may never come.
   */
  readonly certain: boolean;
}

/**
 * Why a trace with `missingServices` and `orphanCount` is not complete.
 * Expected services are listed in call order (browser, frontend-api,
 * data-processor), so the first one missing is the one the deepest
 * unanswered call was calling.
 */
export function shortfallOf(missingServices: readonly string[], orphanCount: number, calls: readonly UnansweredCall[]): Shortfall | null {
  const missing = missingServices[0];
  const call = calls[0];
  if (missing !== undefined && call !== undefined) {
    const caller = `${call.service}: ${call.name}`;
    return call.neverReceived
      ? { explanation: `The ${missing} never received the request: ${call.reason} (${caller}).`, certain: orphanCount === 0 }
      : { explanation: `No spans from ${missingServices.join(' or ')}: the call ${caller} failed (${call.reason}) and nothing more arrived.`, certain: false };
  }
  if (missingServices.length > 0) return { explanation: `No spans from ${missingServices.join(' or ')} arrived.`, certain: false };
  if (orphanCount > 0) {
    return { explanation: `The parent of ${orphanCount} span${orphanCount === 1 ? '' : 's'} never arrived.`, certain: false };
  }
  return null;
}

function queuedMicros(span: TraceSpan): number {
  const queued = queuedInterval(span);
  return queued === null ? 0 : queued.endUs - queued.startUs;
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
      rootArrived: false,
      shortfall: null,
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
    rootArrived: tree.roots.some((root) => root.orphan === null),
    shortfall: shortfallOf(missingServices, orphanCount, unansweredCalls(tree)),
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
      queuedUs: queuedMicros(node.span),
    })),
    hiddenCount: Math.max(0, tree.nodes.length - LIVE_MAX_ROWS),
  };
}
