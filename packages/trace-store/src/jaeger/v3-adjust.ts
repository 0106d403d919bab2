import { SpanKind, type KeyValue, type ResourceSpans, type Span } from '../otlp/model.js';
import { addWarnings } from '../otlp/sanitize.js';
import { goDurationString } from '../otlp/go-format.js';
import { ipv4, skewOf } from './v1-adjust.js';

/**
 * What Jaeger 2.12's api_v3 query service does to a trace read from storage
 * (its v2 "standard adjusters"), in its order, on the OTLP layout of
 * stored-layout.ts: client/server span-id uniquifier, sorted collections,
 * span dedupe, clock skew (warnings only, as configured), IP attributes,
 * library attributes to the resource, links without a trace id. Warnings go
 * to the span's `@jaeger@warnings` attribute, as Jaeger writes them. Works in
 * place.
 */

const ZERO_SPAN_ID = '0'.repeat(16);
const ZERO_TRACE_ID = '0'.repeat(32);

function* allSpans(trace: ResourceSpans[]): Generator<{ rs: ResourceSpans; span: Span }> {
  for (const rs of trace) for (const ss of rs.scopeSpans) for (const span of ss.spans) yield { rs, span };
}

const byKey = (a: KeyValue, b: KeyValue) => Buffer.compare(Buffer.from(a.key), Buffer.from(b.key));
const sortAttributes = (list: KeyValue[]) => list.sort(byKey);

function uniquifyClientServerSpanIds(trace: ResourceSpans[]): void {
  const byId = new Map<string, Span[]>();
  for (const { span } of allSpans(trace)) byId.set(span.spanId, [...(byId.get(span.spanId) ?? []), span]);
  let maxUsed = 0n;
  const renamed = new Map<string, string>();
  for (const { span } of allSpans(trace)) {
    if (span.kind !== SpanKind.SERVER || !(byId.get(span.spanId) ?? []).some((s) => s.kind === SpanKind.CLIENT)) continue;
    let id = maxUsed + 1n;
    while (byId.has(id.toString(16).padStart(16, '0'))) id++;
    maxUsed = id;
    const fresh = id.toString(16).padStart(16, '0');
    renamed.set(span.spanId, fresh);
    span.parentSpanId = span.spanId;
    span.spanId = fresh;
  }
  for (const { span } of allSpans(trace)) {
    const parent = renamed.get(span.parentSpanId);
    if (parent !== undefined && span.spanId !== parent) span.parentSpanId = parent;
  }
}

function sortCollections(trace: ResourceSpans[]): void {
  for (const rs of trace) {
    sortAttributes(rs.resource.attributes);
    for (const ss of rs.scopeSpans) {
      sortAttributes(ss.scope.attributes);
      for (const span of ss.spans) {
        sortAttributes(span.attributes);
        // Stable, by name only: events of one name keep their order.
        span.events.sort((a, b) => Buffer.compare(Buffer.from(a.name), Buffer.from(b.name)));
        for (const e of span.events) sortAttributes(e.attributes);
        for (const l of span.links) sortAttributes(l.attributes);
      }
    }
  }
}

/**
 * Spans equal in every field, under equal resource and scope attributes,
 * collapse into the first (Jaeger hashes only those parts of a resource and
 * a scope). A ScopeSpans may be left empty.
 */
function dedupeSpans(trace: ResourceSpans[]): void {
  const seen = new Set<string>();
  for (const rs of trace) {
    const resourceKey = JSON.stringify(rs.resource.attributes);
    for (const ss of rs.scopeSpans) {
      const scopeKey = JSON.stringify(ss.scope.attributes);
      ss.spans = ss.spans.filter((span) => {
        const key = `${resourceKey}\u0000${scopeKey}\u0000${JSON.stringify(span)}`;
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      });
    }
  }
}

/** Jaeger's v2 host identity: the resource's host.id, else host.ip (or the first of a list), else host.name. */
function hostKey(rs: ResourceSpans): string {
  const get = (key: string) => rs.resource.attributes.find((kv) => kv.key === key)?.value;
  const text = (v: KeyValue['value']) => ('stringValue' in v ? v.stringValue : '');
  const id = get('host.id');
  if (id) return text(id);
  const ip = get('host.ip');
  if (ip) {
    if ('stringValue' in ip) return ip.stringValue;
    if ('arrayValue' in ip) {
      const first = ip.arrayValue.values[0];
      if (first) return 'stringValue' in first ? first.stringValue : '';
    }
    return '';
  }
  const name = get('host.name');
  return name ? text(name) : '';
}

interface SkewNode {
  span: Span;
  hostKey: string;
  children: SkewNode[];
}

const timing = (span: Span) => {
  const startNs = BigInt(span.startTimeUnixNano);
  return { startNs, durationNs: BigInt(span.endTimeUnixNano) - startNs };
};

function clockSkew(trace: ResourceSpans[]): void {
  const nodes = new Map<string, SkewNode>();
  for (const { rs, span } of allSpans(trace)) {
    if (nodes.has(span.spanId)) addWarnings(span.attributes, 'duplicate span IDs; skipping clock skew adjustment');
    else nodes.set(span.spanId, { span, hostKey: hostKey(rs), children: [] });
  }
  const roots: SkewNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.span.parentSpanId;
    if (parent === '' || parent === ZERO_SPAN_ID) {
      roots.push(node);
      continue;
    }
    const p = nodes.get(parent);
    if (p) p.children.push(node);
    else {
      addWarnings(node.span.attributes, `parent span ID=${parent} is not in the trace; skipping clock skew adjustment`);
      roots.push(node);
    }
  }
  const visit = (node: SkewNode, parent: SkewNode | undefined, skew: { delta: bigint; hostKey: string }) => {
    if ((node.hostKey !== skew.hostKey || node.hostKey === '') && parent) {
      skew = { hostKey: node.hostKey, delta: skewOf(timing(node.span), timing(parent.span)) };
    }
    if (skew.delta !== 0n) addWarnings(node.span.attributes, `clock skew adjustment disabled; not applying calculated delta of ${goDurationString(skew.delta)}`);
    for (const child of node.children) visit(child, node, skew);
  };
  for (const root of roots) visit(root, undefined, { delta: 0n, hostKey: root.hostKey });
}

/** Numeric `ip` and `peer.ipv4` attributes (IPv4 packed in an integer) become dotted strings, in place. */
function ipAttributes(trace: ResourceSpans[]): void {
  const adjust = (attributes: KeyValue[]) => {
    for (const kv of attributes) {
      if (kv.key !== 'ip' && kv.key !== 'peer.ipv4') continue;
      if ('intValue' in kv.value) kv.value = { stringValue: ipv4(Number(BigInt.asUintN(32, BigInt(kv.value.intValue)))) };
      else if ('doubleValue' in kv.value) kv.value = { stringValue: ipv4(Math.trunc(kv.value.doubleValue) >>> 0) };
    }
  };
  for (const rs of trace) {
    adjust(rs.resource.attributes);
    for (const ss of rs.scopeSpans) for (const span of ss.spans) adjust(span.attributes);
  }
}

const LIBRARY_KEYS = new Set(['telemetry.sdk.language', 'telemetry.sdk.name', 'telemetry.sdk.version', 'telemetry.distro.name', 'telemetry.distro.version']);

/** pcommon.Map.Remove: the last entry takes the removed one's place. */
function removeAttribute(attributes: KeyValue[], key: string): void {
  const i = attributes.findIndex((kv) => kv.key === key);
  if (i < 0) return;
  const last = attributes.pop() as KeyValue;
  if (i < attributes.length) attributes[i] = last;
}

/**
 * OpenTelemetry SDK attributes on a span move to its resource, unless the
 * resource holds another value (then a warning). With more than one on a
 * span Jaeger's result order is random, so the corpus keeps to one.
 */
function libraryAttributes(trace: ResourceSpans[]): void {
  for (const rs of trace) {
    for (const ss of rs.scopeSpans) {
      for (const span of ss.spans) {
        for (const kv of span.attributes.filter((a) => LIBRARY_KEYS.has(a.key))) {
          const existing = rs.resource.attributes.find((a) => a.key === kv.key);
          if (existing && JSON.stringify(existing.value) !== JSON.stringify(kv.value)) {
            addWarnings(span.attributes, `conflicting values between Span and Resource for attribute ${kv.key}`);
            continue;
          }
          if (existing) existing.value = structuredClone(kv.value);
          else rs.resource.attributes.push(structuredClone(kv));
          removeAttribute(span.attributes, kv.key);
        }
      }
    }
  }
}

/** Links without a trace id are dropped, each with a warning. */
function emptyLinks(trace: ResourceSpans[]): void {
  for (const { span } of allSpans(trace)) {
    const kept = span.links.filter((l) => l.traceId !== '' && l.traceId !== ZERO_TRACE_ID);
    for (let i = kept.length; i < span.links.length; i++) addWarnings(span.attributes, 'Invalid span link removed');
    span.links = kept;
  }
}

export function adjustV3Trace(trace: ResourceSpans[]): ResourceSpans[] {
  uniquifyClientServerSpanIds(trace);
  sortCollections(trace);
  dedupeSpans(trace);
  clockSkew(trace);
  ipAttributes(trace);
  libraryAttributes(trace);
  emptyLinks(trace);
  return trace;
}
