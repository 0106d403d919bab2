import { analyzeTrace } from './analyze';
import { queuedInterval } from './queued';
import { endOf, type Trace, type TraceSpan } from '@tracelens/jaeger-query/model';
import type { LiveSnapshot, Shortfall } from '@/lib/shared/api';
import { unansweredCalls, type UnansweredCall } from './unanswered';

/** Most rows the compact waterfall under a click shows; the full page has them all. */
export const LIVE_MAX_ROWS = 40;

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
    services: [...analysis.services],
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
