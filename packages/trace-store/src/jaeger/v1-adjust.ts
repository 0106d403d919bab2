import { goDurationString } from '../otlp/go-format.js';
import { V1_VALUE_TYPES, type V1KeyValue, type V1Reference, type V1Span } from './v1-model.js';

/**
 * What Jaeger 2.12's v1 query service does to a trace read from storage
 * before answering /api/traces (its "standard adjusters"), in its order:
 * Zipkin span-id uniquifier, tag and log-field sort, span-hash dedupe, clock
 * skew (with adjustments disabled, as configured: it only warns), IP tags,
 * OpenTelemetry library tags, invalid references, CHILD_OF first. Works in
 * place on a trace's spans and returns them (dedupe drops some).
 *
 * Clock skew compares nanoseconds; its warnings format durations as Go does.
 */

const ZERO_SPAN_ID = '0'.repeat(16);
const ZERO_TRACE_ID = '0'.repeat(32);

const bytesOf = (s: string) => Buffer.from(s);

/** Jaeger's KeyValue order: key (bytewise), then type, then value. */
function compareTags(a: V1KeyValue, b: V1KeyValue): number {
  const byKey = Buffer.compare(bytesOf(a.key), bytesOf(b.key));
  if (byKey !== 0) return byKey;
  const byType = V1_VALUE_TYPES.indexOf(a.type) - V1_VALUE_TYPES.indexOf(b.type);
  if (byType !== 0) return byType;
  switch (a.type) {
    case 'string':
      return Buffer.compare(bytesOf(a.value as string), bytesOf(b.value as string));
    case 'bool':
      return Number(a.value) - Number(b.value);
    case 'int64':
      return a.value === b.value ? 0 : (a.value as bigint) < (b.value as bigint) ? -1 : 1;
    case 'float64':
      return a.value === b.value ? 0 : (a.value as number) < (b.value as number) ? -1 : 1;
    case 'binary':
      return Buffer.compare(Buffer.from(a.value as string, 'base64'), Buffer.from(b.value as string, 'base64'));
  }
}

const sortTags = (tags: V1KeyValue[]) => tags.sort(compareTags);

/** Jaeger's Span.ParentSpanID: the first CHILD_OF reference into the same trace, else the first FOLLOWS_FROM one. */
export function parentSpanId(span: V1Span): string {
  let followsFrom: V1Reference | undefined;
  for (const ref of span.references) {
    if (ref.traceId !== span.traceId) continue;
    if (ref.refType === 'CHILD_OF') return ref.spanId;
    followsFrom ??= ref;
  }
  return followsFrom?.spanId ?? ZERO_SPAN_ID;
}

function replaceParentId(span: V1Span, newParent: string): void {
  const old = parentSpanId(span);
  const ref = span.references.find((r) => r.spanId === old && r.traceId === span.traceId);
  if (ref) {
    ref.spanId = newParent;
    return;
  }
  if (newParent === ZERO_SPAN_ID || span.references.some((r) => r.spanId === newParent && r.traceId === span.traceId)) return;
  span.references.unshift({ refType: 'CHILD_OF', traceId: span.traceId, spanId: newParent });
}

const spanKindTag = (span: V1Span): string | undefined => {
  const tag = span.tags.find((t) => t.key === 'span.kind');
  return tag ? String(tag.value) : undefined;
};

/** Zipkin-style clients and servers share one span id; the server span gets a fresh id, its parent being the shared one. */
function uniquifyZipkinSpanIds(spans: V1Span[]): void {
  const byId = new Map<string, V1Span[]>();
  for (const s of spans) byId.set(s.spanId, [...(byId.get(s.spanId) ?? []), s]);
  let maxUsed = 0n;
  const renamed = new Map<string, string>();
  for (const span of spans) {
    if (spanKindTag(span) !== 'server' || !(byId.get(span.spanId) ?? []).some((s) => spanKindTag(s) === 'client')) continue;
    let id = maxUsed + 1n;
    while (byId.has(id.toString(16).padStart(16, '0'))) id++;
    maxUsed = id;
    const fresh = id.toString(16).padStart(16, '0');
    renamed.set(span.spanId, fresh);
    replaceParentId(span, span.spanId);
    span.spanId = fresh;
  }
  for (const span of spans) {
    const parent = renamed.get(parentSpanId(span));
    if (parent !== undefined && span.spanId !== parent) replaceParentId(span, parent);
  }
}

/** Tags and process tags sorted; each log's `event` field first (when a string), the rest sorted. */
function sortTagsAndLogFields(spans: V1Span[]): void {
  for (const span of spans) {
    sortTags(span.tags);
    sortTags(span.process.tags);
    for (const log of span.logs) {
      let offset = 0;
      const i = log.fields.findIndex((f) => f.key === 'event' && f.type === 'string');
      if (i >= 0) {
        if (i > 0) [log.fields[0], log.fields[i]] = [log.fields[i] as V1KeyValue, log.fields[0] as V1KeyValue];
        offset = 1;
      }
      if (log.fields.length > 1) log.fields.splice(offset, log.fields.length - offset, ...sortTags(log.fields.slice(offset)));
    }
  }
}

/**
 * Spans identical in every field (process included) collapse into one: a
 * retried export. Identical spans share their ids, so only the spans of an
 * id that occurs more than once are compared whole (serialising every span
 * was a tenth of the CPU of reading a trace by id).
 */
function dedupeBySpanHash(spans: V1Span[]): V1Span[] {
  const idOf = (span: V1Span) => span.traceId + span.spanId;
  const perId = new Map<string, number>();
  for (const span of spans) perId.set(idOf(span), (perId.get(idOf(span)) ?? 0) + 1);
  const seen = new Set<string>();
  return spans.filter((span) => {
    if (perId.get(idOf(span)) === 1) return true;
    const key = JSON.stringify(span, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Jaeger's v1 host identity for clock skew: the process's `ip` tag (a string, or an int/bytes IPv4 or IPv6). */
function hostKey(span: V1Span): string {
  const tag = span.process.tags.find((t) => t.key === 'ip');
  if (!tag) return '';
  if (tag.type === 'string') return tag.value as string;
  if (tag.type === 'int64') return ipv4(Number(BigInt.asUintN(32, tag.value as bigint)));
  if (tag.type === 'binary') {
    const raw = Buffer.from(tag.value as string, 'base64');
    if (raw.length === 4) return [...raw].join('.');
    if (raw.length === 16) return ipv6(raw);
  }
  return '';
}

export function ipv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/** An IPv6 address as Go's net.IP.String() writes it (longest zero run as ::, IPv4-mapped as dotted). */
function ipv6(raw: Buffer): string {
  if (raw.subarray(0, 10).every((b) => b === 0) && raw[10] === 0xff && raw[11] === 0xff) return [...raw.subarray(12)].join('.');
  const groups = Array.from({ length: 8 }, (_, i) => raw.readUInt16BE(i * 2));
  let bestStart = -1;
  let bestLength = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength && j - i >= 2) [bestStart, bestLength] = [i, j - i];
    i = j;
  }
  const hex = (g: number[]) => g.map((x) => x.toString(16)).join(':');
  if (bestStart < 0) return hex(groups);
  return `${hex(groups.slice(0, bestStart))}::${hex(groups.slice(bestStart + bestLength))}`;
}

interface SkewNode {
  span: V1Span;
  children: SkewNode[];
  hostKey: string;
}

/**
 * Jaeger's clock-skew adjuster with adjustment disabled (its default,
 * max_clock_skew_adjust 0): it never moves a span, but warns on duplicate
 * span ids, on a parent missing from the trace, and on every child (on
 * another host, or either host unknown) that does not fit in its parent.
 */
function clockSkew(spans: V1Span[]): void {
  const nodes = new Map<string, SkewNode>();
  for (const span of spans) {
    if (nodes.has(span.spanId)) span.warnings.push('duplicate span IDs; skipping clock skew adjustment');
    else nodes.set(span.spanId, { span, children: [], hostKey: hostKey(span) });
  }
  const roots: SkewNode[] = [];
  for (const node of nodes.values()) {
    const parent = parentSpanId(node.span);
    if (parent === ZERO_SPAN_ID) {
      roots.push(node);
      continue;
    }
    const p = nodes.get(parent);
    if (p) p.children.push(node);
    else {
      node.span.warnings.push(`invalid parent span IDs=${parent}; skipping clock skew adjustment`);
      roots.push(node);
    }
  }
  const visit = (node: SkewNode, parent: SkewNode | undefined, skew: { delta: bigint; hostKey: string }) => {
    if ((node.hostKey !== skew.hostKey || node.hostKey === '') && parent) {
      skew = { hostKey: node.hostKey, delta: skewOf(node.span, parent.span) };
    }
    if (skew.delta !== 0n) node.span.warnings.push(`clock skew adjustment disabled; not applying calculated delta of ${goDurationString(skew.delta)}`);
    for (const child of node.children) visit(child, node, skew);
  };
  for (const root of roots) visit(root, undefined, { delta: 0n, hostKey: root.hostKey });
}

/** How far the child would have to move to sit inside its parent, network latency split evenly (Jaeger's calculateSkew). */
export function skewOf(child: { startNs: bigint; durationNs: bigint }, parent: { startNs: bigint; durationNs: bigint }): bigint {
  const childEnd = child.startNs + child.durationNs;
  const parentEnd = parent.startNs + parent.durationNs;
  if (child.durationNs > parent.durationNs) return child.startNs < parent.startNs ? parent.startNs - child.startNs : 0n;
  if (child.startNs >= parent.startNs && childEnd <= parentEnd) return 0n;
  const latency = (parent.durationNs - child.durationNs) / 2n;
  return parent.startNs + latency - child.startNs;
}

const IP_TAGS = new Set(['ip', 'peer.ipv4']);

/** Numeric `ip` and `peer.ipv4` tags (IPv4 packed in an integer) become dotted strings. */
function ipTags(spans: V1Span[]): void {
  const adjust = (tags: V1KeyValue[]) => {
    tags.forEach((tag, i) => {
      if (!IP_TAGS.has(tag.key)) return;
      let value: number;
      if (tag.type === 'int64') value = Number(BigInt.asUintN(32, tag.value as bigint));
      else if (tag.type === 'float64') value = Math.trunc(tag.value as number) >>> 0;
      else return;
      tags[i] = { key: tag.key, type: 'string', value: ipv4(value) };
    });
  };
  for (const span of spans) {
    adjust(span.tags);
    adjust(span.process.tags);
    sortTags(span.process.tags);
  }
}

const LIBRARY_TAGS = new Set(['telemetry.sdk.language', 'telemetry.sdk.name', 'telemetry.sdk.version', 'telemetry.distro.name', 'telemetry.distro.version']);

/** OpenTelemetry SDK tags found on a span belong to its process. */
function otelLibraryTags(spans: V1Span[]): void {
  for (const span of spans) {
    const moved = span.tags.filter((t) => LIBRARY_TAGS.has(t.key));
    if (moved.length > 0) {
      span.tags = span.tags.filter((t) => !LIBRARY_TAGS.has(t.key));
      span.process = { serviceName: span.process.serviceName, tags: [...span.process.tags, ...moved] };
    }
    sortTags(span.process.tags);
  }
}

/** References into an all-zero trace id are dropped, with Jaeger's warning (Go's %+v of its SpanRef). */
function invalidReferences(spans: V1Span[]): void {
  for (const span of spans) {
    if (span.references.every((r) => r.traceId !== ZERO_TRACE_ID)) continue;
    span.references = span.references.filter((r) => {
      if (r.traceId !== ZERO_TRACE_ID) return true;
      span.warnings.push(
        `Invalid span reference removed {TraceID:${'0'.repeat(16)} SpanID:${r.spanId} RefType:${r.refType} XXX_NoUnkeyedLiteral:{} XXX_unrecognized:[] XXX_sizecache:0}`,
      );
      return false;
    });
  }
}

/** The first CHILD_OF reference into the same trace goes first (else the first one into it), as Jaeger UI expects. */
function parentReferenceFirst(spans: V1Span[]): void {
  for (const span of spans) {
    let childOf = -1;
    let other = -1;
    span.references.forEach((r, i) => {
      if (r.traceId !== span.traceId || childOf >= 0) return;
      if (r.refType === 'CHILD_OF') childOf = i;
      else if (other < 0) other = i;
    });
    const swap = childOf >= 0 ? childOf : other;
    if (swap > 0) [span.references[0], span.references[swap]] = [span.references[swap] as V1Reference, span.references[0] as V1Reference];
  }
}

export function adjustV1Trace(input: V1Span[]): V1Span[] {
  let spans = input;
  uniquifyZipkinSpanIds(spans);
  sortTagsAndLogFields(spans);
  spans = dedupeBySpanHash(spans);
  clockSkew(spans);
  ipTags(spans);
  otelLibraryTags(spans);
  invalidReferences(spans);
  parentReferenceFirst(spans);
  return spans;
}
