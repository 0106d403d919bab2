import type { Answer } from './backends.js';

/**
 * The documented differences the comparison tolerates, and nothing else.
 * Each entry is a line of the "Differences from Jaeger" table in the
 * collector's README (normalise.test.ts checks every name is there). Each
 * rewrites an answer into a canonical form; it is applied to both sides, so
 * it can only hide what it is written to hide.
 */
export interface Normalisation {
  name: string;
  /** Why Jaeger's own answer is not reproducible here, in one line (the README says more). */
  reason: string;
  /** Whether it applies to the answer of this request (path with query string). */
  appliesTo(request: RequestKind): boolean;
  apply(body: unknown): unknown;
}

/** What an answer is the answer to. */
export interface RequestKind {
  /** `query` for the query API, `otlp` for the receiver. */
  api: 'query' | 'otlp';
  method: string;
  /** Path and query string. */
  path: string;
  status: number;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Go's strconv.ParseBool, which Jaeger uses for `raw` and `raw_traces`. */
function goBool(raw: string | null): boolean {
  return raw !== null && ['1', 't', 'T', 'TRUE', 'true', 'True'].includes(raw);
}

function params(path: string): URLSearchParams {
  return new URL(path, 'http://x').searchParams;
}
function pathname(path: string): string {
  return new URL(path, 'http://x').pathname;
}

const byCodePoints = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));
const canonical = (v: unknown) => JSON.stringify(v);

/**
 * v1 traces read with adjustments: Jaeger's DedupeBySpanHash adjuster
 * rebuilds the span list from a Go map, so span order (and with it the
 * process ids p1, p2, ... handed out in span order) changes from one request
 * to the next. Spans are sorted by id, then by content; processes are
 * renumbered in the order the sorted spans first use them.
 */
function sortV1Trace(trace: Obj): Obj {
  const processes = isObj(trace.processes) ? trace.processes : {};
  const spans = Array.isArray(trace.spans) ? (trace.spans as Obj[]) : [];
  const withProcess = spans.map((span) => {
    const process = processes[String(span.processID)];
    return { span, process, key: Buffer.from(`${String(span.spanID)}\u0000${canonical({ ...span, processID: process })}`) };
  });
  withProcess.sort((a, b) => Buffer.compare(a.key, b.key));
  const renumbered = new Map<string, string>();
  const outProcesses: Obj = {};
  const outSpans = withProcess.map(({ span }) => {
    const old = String(span.processID);
    let fresh = renumbered.get(old);
    if (fresh === undefined) {
      fresh = `p${renumbered.size + 1}`;
      renumbered.set(old, fresh);
      outProcesses[fresh] = processes[old];
    }
    return { ...span, processID: fresh };
  });
  return { ...trace, spans: outSpans, processes: outProcesses };
}

const v1TraceRead = (r: RequestKind) =>
  r.api === 'query' &&
  r.status === 200 &&
  r.method === 'GET' &&
  (pathname(r.path) === '/api/traces' || /^\/api\/traces\/[^/]+$/.test(pathname(r.path))) &&
  !goBool(params(r.path).get('raw'));

const v1SearchRead = (r: RequestKind) =>
  r.api === 'query' && r.status === 200 && pathname(r.path) === '/api/traces' && params(r.path).getAll('traceID').length === 0;

const mapData = (body: unknown, f: (data: unknown[]) => unknown[]): unknown =>
  isObj(body) && Array.isArray(body.data) ? { ...body, data: f(body.data) } : body;

/** The trace id of a v3 ResourceSpans block (Jaeger gives each block the spans of one trace). */
function blockTraceId(block: unknown): string {
  if (!isObj(block) || !Array.isArray(block.scopeSpans)) return '';
  for (const ss of block.scopeSpans) {
    if (isObj(ss) && Array.isArray(ss.spans)) for (const s of ss.spans) if (isObj(s)) return String(s.traceId);
  }
  return '';
}

export const NORMALISATIONS: Normalisation[] = [
  {
    name: 'v1-span-order',
    reason: "Jaeger's span-hash deduplication rebuilds each trace's span list from a Go map: span order and process ids change per request",
    appliesTo: v1TraceRead,
    apply: (body) => mapData(body, (traces) => traces.map((t) => (isObj(t) ? sortV1Trace(t) : t))),
  },
  {
    name: 'unordered-name-lists',
    reason: "Jaeger's memory storage lists services and operations from Go maps, in an order that changes per request",
    appliesTo: (r) =>
      r.api === 'query' &&
      r.status === 200 &&
      (['/api/services', '/api/operations', '/api/v3/services', '/api/v3/operations'].includes(pathname(r.path)) ||
        /^\/api\/services\/[^/]+\/operations$/.test(pathname(r.path))),
    apply: (body) => {
      const sort = (list: unknown[]) => [...list].sort((a, b) => byCodePoints(canonical(a), canonical(b)));
      if (!isObj(body)) return body;
      if (Array.isArray(body.data)) return { ...body, data: sort(body.data) };
      if (Array.isArray(body.services)) return { ...body, services: sort(body.services) };
      if (Array.isArray(body.operations)) return { ...body, operations: sort(body.operations) };
      return body;
    },
  },
  {
    name: 'search-result-order',
    reason: "Jaeger's memory storage returns matches by when each trace was first received, traces first seen in one export in Go-map order; the store by latest matching span",
    appliesTo: (r) => v1SearchRead(r) || (r.api === 'query' && r.status === 200 && pathname(r.path) === '/api/v3/traces'),
    apply: (body) => {
      if (!isObj(body)) return body;
      if (Array.isArray(body.data)) {
        return { ...body, data: [...body.data].sort((a, b) => byCodePoints(String(isObj(a) ? a.traceID : ''), String(isObj(b) ? b.traceID : ''))) };
      }
      const result = body.result;
      if (isObj(result) && Array.isArray(result.resourceSpans)) {
        const blocks = result.resourceSpans.map((block, i) => ({ block, i, trace: blockTraceId(block) }));
        blocks.sort((a, b) => byCodePoints(a.trace, b.trace) || a.i - b.i);
        return { ...body, result: { ...result, resourceSpans: blocks.map((b) => b.block) } };
      }
      return body;
    },
  },
  {
    name: 'dependency-order',
    reason: 'Jaeger collects dependency links in a Go map, so their order changes per request',
    appliesTo: (r) => r.api === 'query' && r.status === 200 && pathname(r.path) === '/api/dependencies',
    apply: (body) => mapData(body, (links) => [...links].sort((a, b) => byCodePoints(canonical(a), canonical(b)))),
  },
  {
    name: 'otlp-decode-error-wording',
    reason: "a body that does not decode is a 400 with google.rpc.Status code 3 on both; the message is the decoder's own (jsoniter's or Go protobuf's in Jaeger, the path of the bad field in the store)",
    appliesTo: (r) => r.api === 'otlp' && r.status === 400,
    apply: (body) => (isObj(body) && typeof body.message === 'string' ? { ...body, message: '(decoder message)' } : body),
  },
];

/** The answer with every applicable normalisation applied, and their names. */
export function normalise(answer: Answer, request: Omit<RequestKind, 'status'>): { answer: Answer; applied: string[] } {
  const kind = { ...request, status: answer.status };
  let body = answer.body;
  const applied: string[] = [];
  for (const n of NORMALISATIONS) {
    if (!n.appliesTo(kind)) continue;
    body = n.apply(body);
    applied.push(n.name);
  }
  return { answer: { ...answer, body }, applied };
}
