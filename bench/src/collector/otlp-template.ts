/**
 * Synthetic OTLP export requests for the collector benchmarks, encoded once
 * and rewritten in place for every request: trace and span ids are derived
 * from the request number (so every request brings new traces) and look as
 * random as an SDK's, timestamps move
 * forward with it and high-cardinality attribute values (order and user ids)
 * change with it. Patching a few thousand bytes costs the sender far less
 * than encoding, so the load generator stays cheap next to the collector.
 *
 * The encoders here are written for these templates only (their own little
 * protobuf writer and JSON builder), independent of the collector's code.
 *
 * Every trace has 10 spans in 3 services, all in one request (as a gateway
 * collector forwards them); timestamps in nanoseconds as in OTLP.
 */
import crypto from 'node:crypto';

export type Encoding = 'protobuf' | 'json';

export const SERVICES = ['frontend', 'checkout', 'payments'] as const;
export const SPANS_PER_TRACE = 10;
/** Distinct values of the `user.id` attribute. */
export const USERS = 10_000;
/** Default time between the starts of consecutive requests' traces, so later requests are more recent. */
export const REQUEST_STEP_NS = 1_000_000n; // 1 ms
const TRACE_STEP_NS = 10_000n; // 10 µs between the traces of one request
/** Every 50th trace fails in the payment service. */
const ERROR_EVERY = 50;

/** A byte range rewritten for each request. */
type Site =
  | { kind: 'id'; offset: number; id: IdSpec } // the whole id: 16 or 8 bytes (protobuf), 32 or 16 hex digits (JSON)
  | { kind: 'time'; offset: number; offsetNs: bigint } // fixed64 LE (protobuf) or 19 decimal digits (JSON)
  | { kind: 'digits'; offset: number; width: number; value: (request: number) => number };

export interface RequestTemplate {
  encoding: Encoding;
  contentType: string;
  /** The request as encoded for request number 0; copy it, then patch() the copy. */
  body: Buffer;
  spans: number;
  traces: number;
  /** Nanoseconds since the epoch of request 0's first span. */
  baseNs: bigint;
  /** Nanoseconds from one request's first span to the next request's. */
  stepNs: bigint;
  /** The run nonce, as a 32-bit integer: part of every id. */
  run: number;
  sites: Site[];
}

/** Which id an id site holds: a trace's, or a span's in it. */
type IdSpec = { trace: number } | { trace: number; span: number };

/** murmur3's 32-bit finaliser: a bijection on 32-bit integers that scatters every input bit. */
function mix32(x: number): number {
  let h = x >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * The bytes of an id, as random-looking as the ids an SDK makes (16 and 8
 * random bytes), so compression and index order in the store see what they
 * would in production. Unique by construction: a trace id holds bijections
 * of the request number and the trace index (and the run nonce), a span id
 * of the request number and of the trace and span indexes.
 */
function idWords(run: number, request: number, spec: IdSpec): number[] {
  const r = mix32(request ^ run);
  const t = mix32(spec.trace ^ 0x27d4eb2f);
  if ('span' in spec) return [mix32(r ^ t ^ 0x9e3779b9), mix32(((spec.trace << 8) | (spec.span + 1)) ^ r)];
  return [mix32(r ^ t ^ 0x165667b1), r, t, mix32(r + t + run)];
}

function idBytes(run: number, request: number, spec: IdSpec): Buffer {
  const words = idWords(run, request, spec);
  const id = Buffer.alloc(words.length * 4);
  words.forEach((w, i) => id.writeUInt32BE(w, i * 4));
  return id;
}

/** The hex trace id of trace `traceIndex` of request `request`, as the query API expects it. */
export function traceIdOf(nonce: Buffer, request: number, traceIndex: number): string {
  return idBytes(nonce.readUInt32BE(0), request, { trace: traceIndex }).toString('hex');
}

/** Nanoseconds since the epoch at which request `request` of a template starts. */
export function requestStartNs(template: RequestTemplate, request: number): bigint {
  return template.baseNs + BigInt(request) * template.stepNs;
}

type Value = { s: string } | { i: number } | { d: number } | { b: boolean } | { patched: string; width: number; value: (request: number) => number };
interface Attr {
  key: string;
  value: Value;
}
interface SpanSpec {
  traceIndex: number;
  spanIndex: number;
  parentIndex: number | undefined;
  name: string;
  kind: number;
  /** Relative to the request's base time. */
  startNs: bigint;
  endNs: bigint;
  attributes: Attr[];
  status?: { code: number; message: string };
  events: { name: string; timeNs: bigint; attributes: Attr[] }[];
}
interface ScopeSpec {
  name: string;
  version: string;
  spans: SpanSpec[];
}
interface ResourceSpec {
  attributes: Attr[];
  scopes: ScopeSpec[];
}

const METHODS = ['GET', 'GET', 'GET', 'POST'];
const ROUTES = ['/api/cart', '/api/products/:id', '/api/checkout', '/api/orders/:id', '/api/search'];

/** The request's traces, grouped by service and scope the way an SDK exports them. */
function describe(traces: number, spansPerRequest: number): ResourceSpec[] {
  const byService: ScopeSpec[][] = SERVICES.map((service) => [
    { name: '@opentelemetry/instrumentation-http', version: '0.203.0', spans: [] },
    { name: service, version: '1.4.2', spans: [] },
  ]);
  let emitted = 0;
  for (let t = 0; t < traces; t++) {
    const t0 = BigInt(t) * TRACE_STEP_NS;
    const failing = t % ERROR_EVERY === ERROR_EVERY - 1;
    const route = ROUTES[t % ROUTES.length] as string;
    const method = METHODS[t % METHODS.length] as string;
    const user: Value = { patched: 'user-', width: 5, value: (r) => (r * 7919 + t * 104729) % USERS };
    const order: Value = { patched: 'order-', width: 10, value: (r) => r * 1000 + t };
    const status = failing ? 502 : 200;
    const span = (
      service: number,
      scope: number,
      spanIndex: number,
      parentIndex: number | undefined,
      name: string,
      kind: number,
      startUs: number,
      durationUs: number,
      attributes: Attr[],
      extra: Partial<SpanSpec> = {},
    ) => {
      if (emitted >= spansPerRequest) return;
      emitted++;
      (byService[service]?.[scope] as ScopeSpec).spans.push({
        traceIndex: t,
        spanIndex,
        parentIndex,
        name,
        kind,
        startNs: t0 + BigInt(startUs) * 1000n,
        endNs: t0 + BigInt(startUs + durationUs) * 1000n,
        attributes,
        events: [],
        ...extra,
      });
    };
    const s = (key: string, v: string): Attr => ({ key, value: { s: v } });
    const i = (key: string, v: number): Attr => ({ key, value: { i: v } });
    // frontend
    span(0, 0, 0, undefined, `${method} ${route}`, 2, 0, 48_000, [
      s('http.request.method', method),
      s('http.route', route),
      i('http.response.status_code', status),
      { key: 'user.id', value: user },
      s('user_agent.original', 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36'),
    ]);
    span(0, 1, 1, 0, 'auth middleware', 1, 200, 900, [s('auth.method', 'session'), { key: 'user.id', value: user }]);
    span(0, 0, 2, 0, 'POST', 3, 1_500, 44_000, [
      s('http.request.method', 'POST'),
      s('server.address', 'checkout'),
      i('server.port', 8080),
      i('http.response.status_code', status),
    ]);
    span(0, 1, 3, 0, 'render cart', 1, 46_000, 1_500, [i('cart.items', (t % 7) + 1), s('render.template', 'cart')]);
    // checkout
    span(1, 0, 4, 2, 'POST /checkout', 2, 2_000, 42_000, [
      s('http.request.method', 'POST'),
      s('http.route', '/checkout'),
      i('http.response.status_code', status),
      { key: 'order.id', value: order },
    ]);
    span(1, 1, 5, 4, 'SELECT orders', 3, 2_500, 3_000, [
      s('db.system', 'postgresql'),
      s('db.name', 'shop'),
      s('db.statement', 'SELECT id, total, currency FROM orders WHERE id = $1'),
      { key: 'order.id', value: order },
    ]);
    span(1, 0, 6, 4, 'POST', 3, 6_000, 36_000, [s('http.request.method', 'POST'), s('server.address', 'payments'), i('http.response.status_code', status)]);
    // payments
    span(2, 0, 7, 6, 'POST /charge', 2, 6_500, 35_000, [s('http.request.method', 'POST'), s('http.route', '/charge'), i('http.response.status_code', status)]);
    span(
      2,
      1,
      8,
      7,
      'charge card',
      1,
      7_000,
      30_000,
      [{ key: 'payment.amount', value: { d: 12.5 + (t % 100) } }, s('payment.currency', 'EUR'), { key: 'user.id', value: user }, { key: 'payment.retry', value: { b: false } }],
      failing
        ? {
            status: { code: 2, message: 'card declined' },
            events: [
              {
                name: 'exception',
                timeNs: t0 + 36_000_000n,
                attributes: [s('exception.type', 'CardDeclinedError'), s('exception.message', 'card declined')],
              },
            ],
          }
        : { status: { code: 1, message: '' } },
    );
    span(2, 1, 9, 8, 'INSERT payments', 3, 36_000, 800, [s('db.system', 'postgresql'), s('db.name', 'payments'), s('db.operation.name', 'INSERT')]);
  }
  return SERVICES.map((service, i) => ({
    attributes: [
      { key: 'service.name', value: { s: service } },
      { key: 'service.version', value: { s: '2.3.1' } },
      { key: 'deployment.environment.name', value: { s: 'production' } },
      { key: 'host.name', value: { s: `${service}-7d9f8c6b5-x2k4p` } },
      { key: 'process.pid', value: { i: 4242 + i } },
      { key: 'telemetry.sdk.language', value: { s: 'nodejs' } },
      { key: 'telemetry.sdk.name', value: { s: 'opentelemetry' } },
      { key: 'telemetry.sdk.version', value: { s: '2.2.0' } },
    ],
    scopes: (byService[i] as ScopeSpec[]).filter((sc) => sc.spans.length > 0),
  }));
}

/**
 * An export request template of `spans` spans (whole traces of 10 spans; the
 * last trace is cut short when `spans` is not a multiple of 10). `nonce`
 * (4 bytes) keeps one run's ids apart from another's.
 */
export function makeTemplate(encoding: Encoding, spans: number, nonce: Buffer, baseNs: bigint, stepNs = REQUEST_STEP_NS): RequestTemplate {
  const traces = Math.ceil(spans / SPANS_PER_TRACE);
  const resources = describe(traces, spans);
  const { body, sites } = encoding === 'protobuf' ? encodeProtobuf(resources) : encodeJson(resources);
  const template: RequestTemplate = {
    encoding,
    contentType: encoding === 'protobuf' ? 'application/x-protobuf' : 'application/json',
    body,
    spans,
    traces,
    baseNs,
    stepNs,
    run: nonce.readUInt32BE(0),
    sites,
  };
  patch(template, template.body, 0);
  return template;
}

/**
 * Rewrites a copy of `template.body` for request number `request` (0 to
 * 2^32-1): ids, timestamps and attribute values, or with `idsOnly` just the
 * ids (every request still brings new traces, at a fraction of the cost).
 */
export function patch(template: RequestTemplate, buf: Buffer, request: number, idsOnly = false): void {
  const json = template.encoding === 'json';
  const base = requestStartNs(template, request);
  // Each id appears in several sites (a trace id in each of its spans, a
  // span id as a parent too): worked out once per request.
  const ids = new Map<string, Buffer>();
  for (const site of template.sites) {
    if (idsOnly && site.kind !== 'id') continue;
    switch (site.kind) {
      case 'id': {
        const key = 'span' in site.id ? `${site.id.trace}/${site.id.span}` : `${site.id.trace}`;
        let id = ids.get(key);
        if (!id) {
          id = idBytes(template.run, request, site.id);
          if (json) id = Buffer.from(id.toString('hex'), 'latin1');
          ids.set(key, id);
        }
        id.copy(buf, site.offset);
        break;
      }
      case 'time':
        if (json) buf.write((base + site.offsetNs).toString(), site.offset, 'latin1');
        else buf.writeBigUInt64LE(base + site.offsetNs, site.offset);
        break;
      case 'digits':
        buf.write(String(site.value(request) % 10 ** site.width).padStart(site.width, '0'), site.offset, 'latin1');
        break;
    }
  }
}

/** A fresh 4-byte run nonce, never all zero. */
export function newNonce(): Buffer {
  const nonce = crypto.randomBytes(4);
  nonce[0] = (nonce[0] as number) | 0x80;
  return nonce;
}

// ---- protobuf --------------------------------------------------------------

/** Encoded bytes plus the sites inside them, offsets relative to `bytes`. */
interface Chunk {
  bytes: Buffer;
  sites: Site[];
}

function varint(n: number): Buffer {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return Buffer.from(out);
}

const tag = (field: number, wire: number) => varint(field * 8 + wire);

function cat(parts: (Chunk | Buffer)[]): Chunk {
  const sites: Site[] = [];
  const buffers: Buffer[] = [];
  let offset = 0;
  for (const part of parts) {
    const bytes = Buffer.isBuffer(part) ? part : part.bytes;
    if (!Buffer.isBuffer(part)) for (const site of part.sites) sites.push({ ...site, offset: site.offset + offset });
    buffers.push(bytes);
    offset += bytes.length;
  }
  return { bytes: Buffer.concat(buffers), sites };
}

function ld(field: number, inner: Chunk | Buffer): Chunk {
  const bytes = Buffer.isBuffer(inner) ? inner : inner.bytes;
  return cat([tag(field, 2), varint(bytes.length), inner]);
}

const pbString = (field: number, s: string) => ld(field, Buffer.from(s, 'utf8'));

function pbFixed64Time(field: number, offsetNs: bigint): Chunk {
  const t = tag(field, 1);
  return { bytes: Buffer.concat([t, Buffer.alloc(8)]), sites: [{ kind: 'time', offset: t.length, offsetNs }] };
}

/** An id field, rewritten whole for each request. */
function pbId(field: number, id: IdSpec): Chunk {
  const length = 'span' in id ? 8 : 16;
  return ld(field, { bytes: Buffer.alloc(length), sites: [{ kind: 'id', offset: 0, id }] });
}

function pbValue(v: Value): Chunk | Buffer {
  if ('s' in v) return pbString(1, v.s).bytes;
  if ('b' in v) return Buffer.concat([tag(2, 0), varint(v.b ? 1 : 0)]);
  if ('i' in v) return Buffer.concat([tag(3, 0), varint(v.i)]);
  if ('d' in v) {
    const d = Buffer.alloc(8);
    d.writeDoubleLE(v.d);
    return Buffer.concat([tag(4, 1), d]);
  }
  const text = Buffer.from(v.patched + '0'.repeat(v.width), 'latin1');
  return ld(1, { bytes: text, sites: [{ kind: 'digits', offset: v.patched.length, width: v.width, value: v.value }] });
}

const pbAttr = (field: number, a: Attr) => ld(field, cat([pbString(1, a.key), ld(2, pbValue(a.value))]));

function pbSpan(s: SpanSpec): Chunk {
  const parts: (Chunk | Buffer)[] = [
    pbId(1, { trace: s.traceIndex }),
    pbId(2, { trace: s.traceIndex, span: s.spanIndex }),
  ];
  // A root span carries an empty parent_span_id, as the OpenTelemetry JS exporter sends it.
  if (s.parentIndex !== undefined) parts.push(pbId(4, { trace: s.traceIndex, span: s.parentIndex }));
  else parts.push(ld(4, Buffer.alloc(0)));
  parts.push(Buffer.concat([tag(16, 5), Buffer.from([1, 0, 0, 0])])); // flags: sampled
  parts.push(pbString(5, s.name), Buffer.concat([tag(6, 0), varint(s.kind)]));
  parts.push(pbFixed64Time(7, s.startNs), pbFixed64Time(8, s.endNs));
  for (const a of s.attributes) parts.push(pbAttr(9, a));
  for (const e of s.events) parts.push(ld(11, cat([pbFixed64Time(1, e.timeNs), pbString(2, e.name), ...e.attributes.map((a) => pbAttr(3, a))])));
  if (s.status) {
    const status: (Chunk | Buffer)[] = [];
    if (s.status.message) status.push(pbString(2, s.status.message));
    status.push(Buffer.concat([tag(3, 0), varint(s.status.code)]));
    parts.push(ld(15, cat(status)));
  }
  return cat(parts);
}

function encodeProtobuf(resources: ResourceSpec[]): { body: Buffer; sites: Site[] } {
  const request = cat(
    resources.map((r) =>
      ld(
        1,
        cat([
          ld(1, cat(r.attributes.map((a) => pbAttr(1, a)))),
          ...r.scopes.map((sc) => ld(2, cat([ld(1, cat([pbString(1, sc.name), pbString(2, sc.version)])), ...sc.spans.map((s) => ld(2, pbSpan(s)))]))),
        ]),
      ),
    ),
  );
  return { body: request.bytes, sites: request.sites };
}

// ---- JSON ------------------------------------------------------------------

/** Appends JSON text and remembers where the patched values are. Every piece is ASCII, so offsets in characters are offsets in bytes. */
class JsonBuilder {
  text = '';
  readonly sites: Site[] = [];

  raw(s: string): void {
    this.text += s;
  }

  str(s: string): void {
    this.text += JSON.stringify(s);
  }

  /** An id as hex, rewritten whole for each request. */
  id(id: IdSpec): void {
    this.sites.push({ kind: 'id', offset: this.text.length + 1, id });
    this.str('0'.repeat('span' in id ? 16 : 32));
  }

  time(offsetNs: bigint): void {
    this.sites.push({ kind: 'time', offset: this.text.length + 1, offsetNs });
    this.str('1'.padEnd(19, '0'));
  }

  value(v: Value): void {
    if ('s' in v) return this.raw(`{"stringValue":${JSON.stringify(v.s)}}`);
    if ('b' in v) return this.raw(`{"boolValue":${v.b}}`);
    if ('i' in v) return this.raw(`{"intValue":"${v.i}"}`);
    if ('d' in v) return this.raw(`{"doubleValue":${v.d}}`);
    this.raw('{"stringValue":"');
    this.sites.push({ kind: 'digits', offset: this.text.length + v.patched.length, width: v.width, value: v.value });
    this.raw(`${v.patched}${'0'.repeat(v.width)}"}`);
  }

  attrs(list: Attr[]): void {
    this.raw('[');
    list.forEach((a, i) => {
      if (i > 0) this.raw(',');
      this.raw(`{"key":${JSON.stringify(a.key)},"value":`);
      this.value(a.value);
      this.raw('}');
    });
    this.raw(']');
  }
}

function encodeJson(resources: ResourceSpec[]): { body: Buffer; sites: Site[] } {
  const b = new JsonBuilder();
  b.raw('{"resourceSpans":[');
  resources.forEach((r, ri) => {
    if (ri > 0) b.raw(',');
    b.raw('{"resource":{"attributes":');
    b.attrs(r.attributes);
    b.raw('},"scopeSpans":[');
    r.scopes.forEach((sc, si) => {
      if (si > 0) b.raw(',');
      b.raw(`{"scope":{"name":${JSON.stringify(sc.name)},"version":${JSON.stringify(sc.version)}},"spans":[`);
      sc.spans.forEach((s, i) => {
        if (i > 0) b.raw(',');
        b.raw('{"traceId":');
        b.id({ trace: s.traceIndex });
        b.raw(',"spanId":');
        b.id({ trace: s.traceIndex, span: s.spanIndex });
        if (s.parentIndex !== undefined) {
          b.raw(',"parentSpanId":');
          b.id({ trace: s.traceIndex, span: s.parentIndex });
        }
        b.raw(`,"flags":1,"name":${JSON.stringify(s.name)},"kind":${s.kind},"startTimeUnixNano":`);
        b.time(s.startNs);
        b.raw(',"endTimeUnixNano":');
        b.time(s.endNs);
        b.raw(',"attributes":');
        b.attrs(s.attributes);
        if (s.events.length > 0) {
          b.raw(',"events":[');
          s.events.forEach((e, ei) => {
            if (ei > 0) b.raw(',');
            b.raw('{"timeUnixNano":');
            b.time(e.timeNs);
            b.raw(`,"name":${JSON.stringify(e.name)},"attributes":`);
            b.attrs(e.attributes);
            b.raw('}');
          });
          b.raw(']');
        }
        if (s.status) b.raw(`,"status":{"code":${s.status.code}${s.status.message ? `,"message":${JSON.stringify(s.status.message)}` : ''}}`);
        b.raw('}');
      });
      b.raw(']}');
    });
    b.raw(']}');
  });
  b.raw(']}');
  return { body: Buffer.from(b.text, 'latin1'), sites: b.sites };
}
