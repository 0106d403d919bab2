import fs from 'node:fs';
import path from 'node:path';
import { ExportTraceServiceRequest, ExportTraceServiceResponse, RpcStatus } from '../../src/otlp/proto.js';

/**
 * The conformance corpus: OTLP/JSON export requests kept as files in
 * corpus/, sent in file-name order (`app-*` recorded from the running app,
 * then `syn-*`, see synthetic.ts). Each is sent as it is in JSON and, encoded
 * here with protobufjs from the collector's own .proto files, as protobuf.
 */

export const CONFORMANCE_DIR = import.meta.dirname;
export const CORPUS_DIR = path.join(CONFORMANCE_DIR, 'corpus');

/**
 * Where the recorded app traffic (corpus/app-*.json) starts: its timestamps
 * are moved to 2024-01-02T00:00:00Z when recorded. In nanoseconds.
 */
export const APP_DAY_NS = 1_704_153_600n * 1_000_000_000n;

export type Encoding = 'json' | 'protobuf';
export const ENCODINGS: readonly Encoding[] = ['json', 'protobuf'];

export interface CorpusEntry {
  /** The file name without `.json`. */
  name: string;
  /** The file's text, sent unchanged as the JSON encoding. */
  text: string;
}

export function corpusFiles(): string[] {
  return fs
    .readdirSync(CORPUS_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort();
}

export function loadCorpus(): CorpusEntry[] {
  return corpusFiles().map((file) => ({ name: file.slice(0, -'.json'.length), text: fs.readFileSync(path.join(CORPUS_DIR, file), 'utf8') }));
}

export function corpusEntry(name: string): CorpusEntry {
  const file = path.join(CORPUS_DIR, `${name}.json`);
  if (!fs.existsSync(file)) throw new Error(`no corpus file ${name}.json in ${CORPUS_DIR}`);
  return { name, text: fs.readFileSync(file, 'utf8') };
}

type CorpusSpan = { traceId: string; name: string; attributes?: { key: string; value: Record<string, unknown> }[] };

/**
 * The trace id of the first recorded app span (corpus/app-*.json) of this
 * service and name, with this attribute value when given: how the queries
 * name the app's traces, whose ids change with each recording.
 */
let appExports: CorpusEntry[] | undefined;
const recordedApp = (): CorpusEntry[] => (appExports ??= loadCorpus().filter((e) => e.name.startsWith('app-')));

export function appTraceId(service: string, spanName: string, attribute?: [key: string, value: string]): string {
  for (const entry of recordedApp()) {
    const request = JSON.parse(entry.text) as { resourceSpans: { resource: { attributes?: { key: string; value: { stringValue?: string } }[] }; scopeSpans: { spans: CorpusSpan[] }[] }[] };
    for (const rs of request.resourceSpans) {
      if (!rs.resource.attributes?.some((kv) => kv.key === 'service.name' && kv.value.stringValue === service)) continue;
      for (const span of rs.scopeSpans.flatMap((ss) => ss.spans)) {
        if (span.name !== spanName) continue;
        if (attribute && !span.attributes?.some((kv) => kv.key === attribute[0] && kv.value.stringValue === attribute[1])) continue;
        return span.traceId;
      }
    }
  }
  throw new Error(`no recorded app span ${service} ${JSON.stringify(spanName)}${attribute ? ` with ${attribute.join('=')}` : ''}: run npm run conformance:record-corpus`);
}

/** The name of the first recorded app export of a service (file names change with each recording). */
export function firstAppExport(service: string): string {
  const entry = recordedApp().find((e) => e.name.endsWith(`-${service}`));
  if (!entry) throw new Error(`no recorded app export of ${service}: run npm run conformance:record-corpus`);
  return entry.name;
}

/** A request body ready to POST to /v1/traces. */
export interface EncodedRequest {
  contentType: string;
  body: Uint8Array | string;
}

const protobufCache = new WeakMap<CorpusEntry, Uint8Array>();

export function encode(entry: CorpusEntry, encoding: Encoding): EncodedRequest {
  if (encoding === 'json') return { contentType: 'application/json', body: entry.text };
  let body = protobufCache.get(entry);
  if (!body) {
    body = jsonToProtobuf(entry.text);
    protobufCache.set(entry, body);
  }
  return { contentType: 'application/x-protobuf', body };
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): Obj[] => (Array.isArray(v) ? v.filter(isObj) : []);

/**
 * OTLP/JSON to binary protobuf. protobufjs's fromObject reads everything but
 * two things the JSON mapping spells differently from protobuf's own JSON:
 * ids are hex (not base64) and non-finite doubles are strings.
 */
export function jsonToProtobuf(text: string): Uint8Array {
  const request = JSON.parse(text) as Obj;
  const hex = (v: unknown) => (typeof v === 'string' ? Buffer.from(v, 'hex') : v);
  const fixValue = (v: unknown): void => {
    if (!isObj(v)) return;
    if (typeof v.doubleValue === 'string') v.doubleValue = Number(v.doubleValue);
    if (isObj(v.arrayValue)) for (const item of list(v.arrayValue.values)) fixValue(item);
    if (isObj(v.kvlistValue)) for (const kv of list(v.kvlistValue.values)) fixValue(kv.value);
  };
  const fixAttributes = (holder: Obj) => {
    for (const kv of list(holder.attributes)) fixValue(kv.value);
  };
  for (const rs of list(request.resourceSpans)) {
    if (isObj(rs.resource)) fixAttributes(rs.resource);
    for (const ss of list(rs.scopeSpans)) {
      if (isObj(ss.scope)) fixAttributes(ss.scope);
      for (const span of list(ss.spans)) {
        for (const field of ['traceId', 'spanId', 'parentSpanId'] as const) span[field] = hex(span[field]);
        fixAttributes(span);
        for (const e of list(span.events)) fixAttributes(e);
        for (const l of list(span.links)) {
          l.traceId = hex(l.traceId);
          l.spanId = hex(l.spanId);
          fixAttributes(l);
        }
      }
    }
  }
  const message = ExportTraceServiceRequest.fromObject(request);
  return ExportTraceServiceRequest.encode(message).finish();
}

/**
 * A protobuf answer of the OTLP receiver as a plain object, for readable
 * comparisons: an ExportTraceServiceResponse when it succeeded, else a
 * google.rpc.Status. Bytes that are neither come back as hex.
 */
export function decodeOtlpAnswer(status: number, bytes: Uint8Array): unknown {
  const type = status === 200 ? ExportTraceServiceResponse : RpcStatus;
  try {
    return type.toObject(type.decode(bytes), { longs: String, defaults: false });
  } catch {
    return { undecodable: Buffer.from(bytes).toString('hex') };
  }
}
