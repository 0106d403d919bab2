import { createHash } from 'node:crypto';
import {
  MS_NS,
  SECOND_NS,
  US_NS,
  Kind,
  Status,
  array,
  bool,
  bytes,
  double,
  empty,
  event,
  int,
  kvlist,
  link,
  request,
  resource,
  span,
  str,
  attrs,
  type AnyValueJson,
  type JsonObject,
} from './otlp-json.js';

/**
 * The synthetic half of the conformance corpus: OTLP/JSON export requests
 * that exercise what recorded app traffic rarely does (every attribute type,
 * links, clock skew, duplicates, a 5,000-span trace, ...). Every timestamp is
 * fixed in January 2024, so searches with absolute windows are deterministic.
 *
 * This module is the source; `npm run conformance:write-synthetic` writes one
 * file per request into corpus/, and corpus.test.ts checks the files still
 * match it.
 * Requests are numbered in the order they are sent: Jaeger's memory storage
 * lists search results by the order traces were first received, so traces
 * that limited searches pick from are sent oldest first, one per request.
 */

/** 2024-01-01T00:00:00Z in nanoseconds; each case gets its own minute after it. */
export const T0_NS = 1_704_067_200n * SECOND_NS;
export const caseStartNs = (caseNo: number): bigint => T0_NS + BigInt(caseNo) * 60n * SECOND_NS;

const hash = (text: string, hexDigits: number) => createHash('sha256').update(text).digest('hex').slice(0, hexDigits);
/** A deterministic, random-looking 128-bit trace id. */
export const traceIdOf = (name: string): string => hash(`trace:${name}`, 32);
/** A deterministic, random-looking 64-bit span id. */
export const spanIdOf = (trace: string, name: string): string => hash(`span:${trace}:${name}`, 16);

export interface CorpusRequest {
  /** File name without extension, e.g. `syn-03-events`; also its place in the sending order. */
  name: string;
  body: JsonObject;
}

const scope = (name: string, version?: string) => (version ? { name, version } : { name });

// ---- case 1: every attribute type, on the span, the resource and the scope ----
function attributesCase(): CorpusRequest[] {
  const t = caseStartNs(1);
  const traceId = traceIdOf('attributes');
  const root = spanIdOf(traceId, 'root');
  const allTypes: [string, AnyValueJson][] = [
    ['str', str('a string')],
    ['str.empty', str('')],
    ['bool.true', bool(true)],
    ['bool.false', bool(false)],
    ['int.zero', int(0)],
    ['int.negative', int(-42)],
    ['int.safe.max', int(9007199254740991n)],
    ['int.past.2^53', int(9007199254740993n)],
    ['int.max', int(9223372036854775807n)],
    ['int.min', int(-9223372036854775808n)],
    ['double', double(1.5)],
    ['double.whole', double(2)],
    ['double.zero', double(0)],
    ['double.negative', double(-0.25)],
    ['double.tiny', double(1e-7)],
    ['double.huge', double(1e21)],
    ['double.pi', double(3.141592653589793)],
    ['bytes', bytes(new Uint8Array([0, 1, 2, 253, 254, 255]))],
    ['bytes.empty', bytes(new Uint8Array([]))],
    ['array.strings', array(str('a'), str('b'))],
    ['array.mixed', array(str('x'), int(7), double(0.5), bool(true), array(int(1), int(2)), empty())],
    ['array.big-int', array(int(9223372036854775807n))],
    ['array.empty', array()],
    ['kvlist', kvlist([['zeta', str('last')], ['alpha', int(1)], ['nested', kvlist([['b', bool(false)], ['a', double(2.5)]])]])],
    ['kvlist.bytes', kvlist([['raw', bytes(new Uint8Array([104, 105]))]])],
    ['kvlist.empty', kvlist([])],
    ['empty.value', empty()],
    ['html', str('<b>bold</b> & "quoted"')],
    ['kvlist.html', kvlist([['markup', str('<i>&</i>')]])],
  ];
  const body = request([
    {
      resource: {
        attributes: attrs([
          ['service.name', str('conf-attributes')],
          ['service.version', str('1.2.3')],
          ['host.name', str('attributes-host')],
          ['process.pid', int(4242)],
          ['resource.double', double(0.75)],
          ['resource.bool', bool(true)],
          ['resource.array', array(str('r1'), str('r2'))],
          ['resource.kvlist', kvlist([['k', str('v')]])],
          ['resource.bytes', bytes(new Uint8Array([9, 8, 7]))],
        ]),
      },
      scopeSpans: [
        {
          scope: { name: 'conf-scope', version: '9.9.9', attributes: attrs([['scope.attr', str('scoped')], ['scope.int', int(5)]]) },
          spans: [
            span({ traceId, spanId: root, name: 'every attribute type', kind: Kind.SERVER, startNs: t, endNs: t + 250n * MS_NS, attributes: allTypes }),
            span({
              traceId,
              spanId: spanIdOf(traceId, 'child'),
              parentSpanId: root,
              name: 'no attributes',
              startNs: t + 10n * MS_NS,
              endNs: t + 20n * MS_NS,
            }),
          ],
        },
      ],
    },
  ]);
  return [{ name: 'syn-01-attributes', body }];
}

// ---- case 2: doubles that JSON cannot hold ----
function nonFiniteCase(): CorpusRequest[] {
  const t = caseStartNs(2);
  const traceId = traceIdOf('non-finite');
  const body = request([
    {
      resource: resource('conf-nonfinite'),
      scopeSpans: [
        {
          scope: scope('conf-scope'),
          spans: [
            span({
              traceId,
              spanId: spanIdOf(traceId, 'root'),
              name: 'non-finite doubles',
              kind: Kind.INTERNAL,
              startNs: t,
              endNs: t + MS_NS,
              attributes: [
                ['nan', double(Number.NaN)],
                ['inf', double(Number.POSITIVE_INFINITY)],
                ['minus.inf', double(Number.NEGATIVE_INFINITY)],
              ],
            }),
          ],
        },
      ],
    },
  ]);
  return [{ name: 'syn-02-nonfinite', body }];
}

// ---- case 3: events, with attributes, names, an "event" attribute, out of order ----
function eventsCase(): CorpusRequest[] {
  const t = caseStartNs(3);
  const traceId = traceIdOf('events');
  const body = request([
    {
      resource: resource('conf-events'),
      scopeSpans: [
        {
          scope: scope('conf-scope', '1.0.0'),
          spans: [
            span({
              traceId,
              spanId: spanIdOf(traceId, 'root'),
              name: 'with events',
              kind: Kind.SERVER,
              startNs: t,
              endNs: t + 100n * MS_NS,
              events: [
                event('zeta', t + 50n * MS_NS, [['b', str('second key')], ['a', int(1)]]),
                event('alpha', t + 10n * MS_NS, [['event', str('renamed by attribute')], ['z', bool(true)]]),
                event('', t + 20n * MS_NS, [['message', str('an event without a name')]]),
                event('mid', t + 30n * MS_NS, [], 2),
                event('exception', t + 40n * MS_NS, [
                  ['exception.type', str('Error')],
                  ['exception.message', str('boom')],
                  ['exception.stacktrace', str('Error: boom\n    at handler (app.js:1:1)')],
                ]),
                event('before start', t - 5n * MS_NS),
              ],
              droppedEventsCount: 3,
            }),
          ],
        },
      ],
    },
  ]);
  return [{ name: 'syn-03-events', body }];
}

// ---- case 4: links, to the parent, to other traces, to a span of the same trace ----
function linksCase(): CorpusRequest[] {
  const t = caseStartNs(4);
  const traceId = traceIdOf('links');
  const other = traceIdOf('links-elsewhere');
  const a = spanIdOf(traceId, 'a');
  const b = spanIdOf(traceId, 'b');
  const body = request([
    {
      resource: resource('conf-links'),
      scopeSpans: [
        {
          scope: scope('conf-scope'),
          spans: [
            span({ traceId, spanId: a, name: 'link target', kind: Kind.SERVER, startNs: t, endNs: t + 100n * MS_NS }),
            span({
              traceId,
              spanId: b,
              parentSpanId: a,
              name: 'links to parent and elsewhere',
              kind: Kind.INTERNAL,
              startNs: t + 10n * MS_NS,
              endNs: t + 20n * MS_NS,
              links: [
                link(other, spanIdOf(other, 'x'), {
                  attributes: [['link.reason', str('batch member')], ['link.index', int(0)]],
                  traceState: 'vendor=linked',
                  flags: 1,
                  droppedAttributesCount: 1,
                }),
                link(traceId, a),
                link(other, spanIdOf(other, 'y'), { attributes: [['opentracing.ref_type', str('child_of')]] }),
              ],
              droppedLinksCount: 2,
            }),
            span({
              traceId,
              spanId: spanIdOf(traceId, 'c'),
              name: 'only a link in its own trace',
              kind: Kind.CONSUMER,
              startNs: t + 30n * MS_NS,
              endNs: t + 40n * MS_NS,
              links: [link(traceId, b, { attributes: [['opentracing.ref_type', str('follows_from')]] })],
            }),
            span({
              traceId,
              spanId: spanIdOf(traceId, 'd'),
              parentSpanId: a,
              name: 'child_of link to another trace',
              kind: Kind.PRODUCER,
              startNs: t + 50n * MS_NS,
              endNs: t + 60n * MS_NS,
              links: [link(other, spanIdOf(other, 'z'), { attributes: [['opentracing.ref_type', str('child_of')]] }), link(traceId, a, { attributes: [['opentracing.ref_type', str('child_of')]] })],
            }),
          ],
        },
      ],
    },
  ]);
  return [{ name: 'syn-04-links', body }];
}

// ---- case 5: every span kind and status code ----
function kindsCase(): CorpusRequest[] {
  const t = caseStartNs(5);
  const traceId = traceIdOf('kinds');
  const root = spanIdOf(traceId, 'root');
  const kinds = Object.entries(Kind);
  const statuses: { code?: number; message?: string }[] = [
    {},
    { code: Status.OK },
    { code: Status.ERROR, message: 'it failed' },
    { code: Status.UNSET, message: 'message without a code' },
    { code: Status.OK, message: 'ok with a message' },
    { code: Status.ERROR },
  ];
  const spans = kinds.map(([kindName, kind], i) =>
    span({
      traceId,
      spanId: i === 0 ? root : spanIdOf(traceId, kindName),
      parentSpanId: i === 0 ? undefined : root,
      name: `kind ${kindName.toLowerCase()}`,
      kind,
      startNs: t + BigInt(i) * MS_NS,
      endNs: t + BigInt(100 - i) * MS_NS,
      status: statuses[i % statuses.length],
    }),
  );
  return [{ name: 'syn-05-kinds-statuses', body: request([{ resource: resource('conf-kinds'), scopeSpans: [{ scope: scope('conf-scope'), spans }] }]) }];
}

// ---- case 6: trace state, flags, dropped counts, scope details, schema URLs ----
function stateCase(): CorpusRequest[] {
  const t = caseStartNs(6);
  const traceId = traceIdOf('state');
  const root = spanIdOf(traceId, 'root');
  const body = request([
    {
      resource: { ...resource('conf-state', [['deployment.environment', str('conformance')]]), droppedAttributesCount: 4 },
      schemaUrl: 'https://opentelemetry.io/schemas/1.24.0',
      scopeSpans: [
        {
          scope: { name: 'conf-scope', version: '2.0.0', attributes: attrs([['scope.kind', str('library')]]), droppedAttributesCount: 1 },
          schemaUrl: 'https://opentelemetry.io/schemas/1.21.0',
          spans: [
            span({
              traceId,
              spanId: root,
              name: 'trace state and flags',
              kind: Kind.SERVER,
              startNs: t,
              endNs: t + 10n * MS_NS,
              traceState: 'congo=t61rcWkgMzE,rojo=00f067aa0ba902b7',
              flags: 0x301,
              attributes: [['a', int(1)]],
              droppedAttributesCount: 5,
              droppedEventsCount: 6,
              droppedLinksCount: 7,
            }),
          ],
        },
        {
          scope: { name: '', version: '0.1.0' },
          spans: [
            span({ traceId, spanId: spanIdOf(traceId, 'unnamed scope'), parentSpanId: root, name: 'unnamed scope with a version', startNs: t + MS_NS, endNs: t + 2n * MS_NS, flags: 1 }),
          ],
        },
        { spans: [span({ traceId, spanId: spanIdOf(traceId, 'no scope'), parentSpanId: root, name: 'no scope at all', startNs: t + 3n * MS_NS, endNs: t + 4n * MS_NS })] },
      ],
    },
  ]);
  return [{ name: 'syn-06-state-dropped-scope', body }];
}

// ---- case 7: resources without service.name ----
function noServiceCase(): CorpusRequest[] {
  const t = caseStartNs(7);
  const traceId = traceIdOf('no-service');
  const root = spanIdOf(traceId, 'root');
  const mid = spanIdOf(traceId, 'mid');
  const body = request([
    {
      resource: { attributes: attrs([['host.name', str('nameless-host')]]) },
      scopeSpans: [{ scope: scope('conf-scope'), spans: [span({ traceId, spanId: root, name: 'resource without service.name', kind: Kind.SERVER, startNs: t, endNs: t + 100n * MS_NS })] }],
    },
    {
      resource: {},
      scopeSpans: [{ scope: scope('conf-scope'), spans: [span({ traceId, spanId: mid, parentSpanId: root, name: 'resource without attributes', kind: Kind.CLIENT, startNs: t + 10n * MS_NS, endNs: t + 90n * MS_NS })] }],
    },
    {
      resource: { attributes: attrs([['service.name', int(42)], ['host.name', str('int-named-host')]]) },
      scopeSpans: [{ scope: scope('conf-scope'), spans: [span({ traceId, spanId: spanIdOf(traceId, 'leaf'), parentSpanId: mid, name: 'service.name that is an int', kind: Kind.SERVER, startNs: t + 20n * MS_NS, endNs: t + 80n * MS_NS })] }],
    },
    {
      resource: resource('conf-named-child'),
      scopeSpans: [{ scope: scope('conf-scope'), spans: [span({ traceId, spanId: spanIdOf(traceId, 'named'), parentSpanId: mid, name: 'named child of a nameless parent', kind: Kind.SERVER, startNs: t + 30n * MS_NS, endNs: t + 70n * MS_NS })] }],
    },
  ]);
  return [{ name: 'syn-07-no-service-name', body }];
}

// ---- case 8: parentless spans and orphans ----
function orphansCase(): CorpusRequest[] {
  const t = caseStartNs(8);
  const withRoot = traceIdOf('orphans-with-root');
  const onlyOrphan = traceIdOf('orphans-only');
  const twoRoots = traceIdOf('orphans-two-roots');
  const root = spanIdOf(withRoot, 'root');
  const body = request([
    {
      resource: resource('conf-orphans'),
      scopeSpans: [
        {
          scope: scope('conf-scope'),
          spans: [
            span({ traceId: withRoot, spanId: root, name: 'root', kind: Kind.SERVER, startNs: t, endNs: t + 100n * MS_NS }),
            span({ traceId: withRoot, spanId: spanIdOf(withRoot, 'child'), parentSpanId: root, name: 'child', startNs: t + 10n * MS_NS, endNs: t + 20n * MS_NS }),
            span({ traceId: withRoot, spanId: spanIdOf(withRoot, 'orphan'), parentSpanId: 'ffffffffffff0001', name: 'orphan beside a root', startNs: t - 10n * MS_NS, endNs: t + 30n * MS_NS }),
            span({ traceId: onlyOrphan, spanId: spanIdOf(onlyOrphan, 'orphan'), parentSpanId: 'ffffffffffff0002', name: 'lone orphan', kind: Kind.SERVER, startNs: t + SECOND_NS, endNs: t + SECOND_NS + 5n * MS_NS }),
            span({ traceId: twoRoots, spanId: spanIdOf(twoRoots, 'late root'), name: 'late root', startNs: t + 2n * SECOND_NS + 5n * MS_NS, endNs: t + 2n * SECOND_NS + 9n * MS_NS }),
            span({ traceId: twoRoots, spanId: spanIdOf(twoRoots, 'early root'), name: 'early root', startNs: t + 2n * SECOND_NS, endNs: t + 2n * SECOND_NS + 3n * MS_NS }),
          ],
        },
      ],
    },
  ]);
  return [{ name: 'syn-08-orphans', body }];
}

// ---- case 9: identical duplicate spans, in one request and across two ----
function duplicatesCase(): CorpusRequest[] {
  const t = caseStartNs(9);
  const traceId = traceIdOf('duplicates');
  const root = span({ traceId, spanId: spanIdOf(traceId, 'root'), name: 'root', kind: Kind.SERVER, startNs: t, endNs: t + 100n * MS_NS, attributes: [['b', str('2')], ['a', str('1')]] });
  const child = span({ traceId, spanId: spanIdOf(traceId, 'child'), parentSpanId: spanIdOf(traceId, 'root'), name: 'retried export', startNs: t + 10n * MS_NS, endNs: t + 20n * MS_NS });
  const late = span({ traceId, spanId: spanIdOf(traceId, 'late'), parentSpanId: spanIdOf(traceId, 'root'), name: 'arrives with the repeat', startNs: t + 30n * MS_NS, endNs: t + 40n * MS_NS });
  const first = request([{ resource: resource('conf-duplicates'), scopeSpans: [{ scope: scope('conf-scope'), spans: [root, child, child] }] }]);
  const second = request([{ resource: resource('conf-duplicates'), scopeSpans: [{ scope: scope('conf-scope'), spans: [root] }, { scope: scope('conf-scope'), spans: [late] }] }]);
  return [
    { name: 'syn-09a-duplicates', body: first },
    { name: 'syn-09b-duplicates-again', body: second },
  ];
}

// ---- case 10: clock skew between hosts ----
function clockSkewCase(): CorpusRequest[] {
  const t = caseStartNs(10);
  const traceId = traceIdOf('clock-skew');
  const parent = spanIdOf(traceId, 'parent');
  const front = resource('conf-skew-front', [['host.name', str('front-1')], ['ip', str('10.0.0.1')]]);
  const back = resource('conf-skew-back', [['host.name', str('back-1')], ['ip', str('10.0.0.2')]]);
  const body = request([
    {
      resource: front,
      scopeSpans: [
        {
          scope: scope('conf-scope'),
          spans: [
            span({ traceId, spanId: parent, name: 'GET /checkout', kind: Kind.SERVER, startNs: t, endNs: t + 100n * MS_NS }),
            span({ traceId, spanId: spanIdOf(traceId, 'same host'), parentSpanId: parent, name: 'same host, starts early', startNs: t - 5n * MS_NS, endNs: t + 10n * MS_NS }),
          ],
        },
      ],
    },
    {
      resource: back,
      scopeSpans: [
        {
          scope: scope('conf-scope'),
          spans: [
            span({ traceId, spanId: spanIdOf(traceId, 'early child'), parentSpanId: parent, name: 'child starts before its parent', kind: Kind.SERVER, startNs: t - 20n * MS_NS, endNs: t + 30n * MS_NS }),
            span({ traceId, spanId: spanIdOf(traceId, 'long child'), parentSpanId: parent, name: 'child outlasts and predates its parent', kind: Kind.SERVER, startNs: t - 3n * MS_NS, endNs: t + 150n * MS_NS + 7n * US_NS }),
            span({ traceId, spanId: spanIdOf(traceId, 'late child'), parentSpanId: parent, name: 'child ends after its parent', kind: Kind.SERVER, startNs: t + 90n * MS_NS, endNs: t + 101n * MS_NS + 500n }),
            span({ traceId, spanId: spanIdOf(traceId, 'fits'), parentSpanId: parent, name: 'child inside its parent', kind: Kind.SERVER, startNs: t + 40n * MS_NS, endNs: t + 60n * MS_NS }),
          ],
        },
      ],
    },
  ]);
  return [{ name: 'syn-10-clock-skew', body }];
}

// ---- case 11: a Zipkin-style client and server sharing one span id ----
function zipkinCase(): CorpusRequest[] {
  const t = caseStartNs(11);
  const traceId = traceIdOf('zipkin');
  const root = spanIdOf(traceId, 'root');
  const shared = spanIdOf(traceId, 'shared');
  const body = request([
    {
      resource: resource('conf-zipkin-client'),
      scopeSpans: [
        {
          scope: scope('conf-scope'),
          spans: [
            span({ traceId, spanId: root, name: 'caller', kind: Kind.INTERNAL, startNs: t, endNs: t + 100n * MS_NS }),
            span({ traceId, spanId: shared, parentSpanId: root, name: 'rpc', kind: Kind.CLIENT, startNs: t + 10n * MS_NS, endNs: t + 90n * MS_NS }),
          ],
        },
      ],
    },
    {
      resource: resource('conf-zipkin-server'),
      scopeSpans: [
        {
          scope: scope('conf-scope'),
          spans: [
            span({ traceId, spanId: shared, parentSpanId: root, name: 'rpc', kind: Kind.SERVER, startNs: t + 20n * MS_NS, endNs: t + 80n * MS_NS }),
            span({ traceId, spanId: spanIdOf(traceId, 'handler'), parentSpanId: shared, name: 'handler', kind: Kind.INTERNAL, startNs: t + 30n * MS_NS, endNs: t + 70n * MS_NS }),
          ],
        },
      ],
    },
  ]);
  return [{ name: 'syn-11-zipkin-shared-id', body }];
}

// ---- case 12: unicode, markup and long values ----
function unicodeCase(): CorpusRequest[] {
  const t = caseStartNs(12);
  const traceId = traceIdOf('unicode');
  const long = 'long-value-'.repeat(500);
  const body = request([
    {
      resource: resource('conf-ünïcødé-サービス', [['team', str('Ωmega ✓')]]),
      scopeSpans: [
        {
          scope: scope('conf-scope-📦'),
          spans: [
            span({
              traceId,
              spanId: spanIdOf(traceId, 'root'),
              name: '操作 🚀 <b>&amp;</b>',
              kind: Kind.SERVER,
              startNs: t,
              endNs: t + 3n * MS_NS,
              attributes: [
                ['emoji', str('🙂👍🏽')],
                ['key with spaces', str('value with spaces')],
                ['k:colon', str('v:with:colons')],
                ['control', str('tab\tnewline\nbell\u0007nul\u0000')],
                ['line.separators', str('a\u2028b\u2029c')],
                ['long', str(long)],
                ['ключ', str('значение')],
              ],
            }),
            span({ traceId, spanId: spanIdOf(traceId, 'long name'), parentSpanId: spanIdOf(traceId, 'root'), name: `long-operation-${'x'.repeat(1000)}`, startNs: t + MS_NS, endNs: t + 2n * MS_NS }),
          ],
        },
      ],
    },
  ]);
  return [{ name: 'syn-12-unicode-long', body }];
}

// ---- case 13: ids: a 64-bit trace id, uppercase hex ----
function idsCase(): CorpusRequest[] {
  const t = caseStartNs(13);
  const shortTrace = '00000000000000000000000000abc123';
  const upperTrace = 'ABCDEF0123456789ABCDEF0123456789';
  const body = request([
    {
      resource: resource('conf-ids'),
      scopeSpans: [
        {
          scope: scope('conf-scope'),
          spans: [
            span({ traceId: shortTrace, spanId: '0000000000000001', name: 'high half of the trace id is zero', kind: Kind.SERVER, startNs: t, endNs: t + MS_NS }),
            span({ traceId: shortTrace, spanId: '00000000000000ff', parentSpanId: '0000000000000001', name: 'small span id', startNs: t + 100n * US_NS, endNs: t + 900n * US_NS }),
            span({ traceId: upperTrace, spanId: 'ABCDEF0123456789', name: 'uppercase hex ids', kind: Kind.SERVER, startNs: t + SECOND_NS, endNs: t + SECOND_NS + MS_NS }),
          ],
        },
      ],
    },
  ]);
  return [{ name: 'syn-13-ids', body }];
}

// ---- case 14: IP tags and library attributes the adjusters move ----
// One library attribute per span: Jaeger moves them through a Go map and
// removes each by swapping in the last attribute, so with two or more on one
// span the resulting order changes from read to read.
function adjustersCase(): CorpusRequest[] {
  const t = caseStartNs(14);
  const traceId = traceIdOf('adjusters');
  const root = spanIdOf(traceId, 'root');
  const child = (name: string, offsetMs: bigint, attributes: [string, AnyValueJson][]) =>
    span({ traceId, spanId: spanIdOf(traceId, name), parentSpanId: root, name, startNs: t + offsetMs * MS_NS, endNs: t + (offsetMs + 1n) * MS_NS, attributes });
  const body = request([
    {
      resource: resource('conf-adjusters', [['telemetry.sdk.language', str('nodejs')], ['ip', int(167772161)]]),
      scopeSpans: [
        {
          scope: scope('conf-scope'),
          spans: [
            span({
              traceId,
              spanId: root,
              name: 'numeric ips',
              kind: Kind.CLIENT,
              startNs: t,
              endNs: t + 5n * MS_NS,
              attributes: [['ip', int(3232235777)], ['peer.ipv4', double(2130706433)], ['after', str('stays last')]],
            }),
            child('sdk name on the span', 1n, [['first', int(1)], ['telemetry.sdk.name', str('opentelemetry')], ['last', int(3)]]),
            child('sdk language that conflicts', 2n, [['telemetry.sdk.language', str('webjs')], ['other', str('x')]]),
            child('distro version on the span', 3n, [['telemetry.distro.version', str('0.1.0')]]),
          ],
        },
      ],
    },
  ]);
  return [{ name: 'syn-14-adjusters', body }];
}

// ---- case 15: one request, two traces and two resources interleaved, repeated scopes ----
function interleavedCase(): CorpusRequest[] {
  const t = caseStartNs(15);
  const one = traceIdOf('interleaved-one');
  const two = traceIdOf('interleaved-two');
  const mk = (traceId: string, name: string, offsetMs: bigint, parent?: string) =>
    span({ traceId, spanId: spanIdOf(traceId, name), parentSpanId: parent, name, kind: Kind.INTERNAL, startNs: t + offsetMs * MS_NS, endNs: t + (offsetMs + 50n) * MS_NS });
  const body = request([
    {
      resource: resource('conf-interleaved-a'),
      scopeSpans: [
        { scope: scope('scope-x'), spans: [mk(one, 'a1', 0n), mk(two, 'a2', 1n)] },
        { scope: scope('scope-y', '1'), spans: [mk(two, 'a3', 2n, spanIdOf(two, 'a2'))] },
        { scope: scope('scope-x'), spans: [mk(one, 'a4', 3n, spanIdOf(one, 'a1'))] },
      ],
    },
    {
      resource: resource('conf-interleaved-b'),
      scopeSpans: [{ scope: scope('scope-x'), spans: [mk(one, 'b1', 4n, spanIdOf(one, 'a1')), mk(two, 'b2', 5n, spanIdOf(two, 'a2'))] }],
    },
    {
      resource: resource('conf-interleaved-a'),
      scopeSpans: [{ scope: scope('scope-x'), spans: [mk(one, 'a5', 6n, spanIdOf(one, 'a1'))] }],
    },
  ]);
  return [{ name: 'syn-15-interleaved', body }];
}

// ---- case 16: timestamps: zero and sub-microsecond durations, exact and inexact microseconds ----
function timestampsCase(): CorpusRequest[] {
  const t = caseStartNs(16);
  const traceId = traceIdOf('timestamps');
  const root = spanIdOf(traceId, 'root');
  const mk = (name: string, startNs: bigint, endNs: bigint) =>
    span({ traceId, spanId: spanIdOf(traceId, name), parentSpanId: root, name, startNs, endNs });
  const body = request([
    {
      resource: resource('conf-timestamps'),
      scopeSpans: [
        {
          scope: scope('conf-scope'),
          spans: [
            span({ traceId, spanId: root, name: 'root', kind: Kind.SERVER, startNs: t, endNs: t + 10n * MS_NS }),
            mk('zero duration', t + MS_NS, t + MS_NS),
            mk('999 ns', t + 2n * MS_NS, t + 2n * MS_NS + 999n),
            mk('starts 500 ns into a microsecond', t + 3n * MS_NS + 500n, t + 4n * MS_NS + 500n),
            mk('exactly one millisecond', t + 5n * MS_NS, t + 6n * MS_NS),
            mk('one millisecond and 1 ns', t + 7n * MS_NS, t + 8n * MS_NS + 1n),
          ],
        },
      ],
    },
  ]);
  return [{ name: 'syn-16-timestamps', body }];
}

// ---- case 17: search fixtures, one trace per request, oldest first ----
/** Start of the search fixtures' hour: 2024-01-01T02:00:00Z. */
export const SEARCH_T0_NS = T0_NS + 2n * 3600n * SECOND_NS;

export interface SearchTraceSpec {
  key: string;
  service: string;
  operation: string;
  /** Minutes after SEARCH_T0_NS. */
  minute: number;
  durationNs: bigint;
  status?: number;
  attributes?: [string, AnyValueJson][];
  childService?: string;
}

export const SEARCH_TRACES: SearchTraceSpec[] = [
  { key: 's1', service: 'conf-search-a', operation: 'GET /items', minute: 0, durationNs: MS_NS, attributes: [['http.status_code', int(200)], ['user.id', str('alice')]] },
  { key: 's2', service: 'conf-search-a', operation: 'GET /items', minute: 5, durationNs: 10n * MS_NS, attributes: [['http.status_code', int(500)], ['user.id', str('bob')]], status: Status.ERROR },
  { key: 's3', service: 'conf-search-a', operation: 'POST /items', minute: 10, durationNs: 100n * MS_NS, attributes: [['http.status_code', int(201)], ['user.id', str('alice')]], childService: 'conf-search-b' },
  { key: 's4', service: 'conf-search-b', operation: 'GET /items', minute: 15, durationNs: SECOND_NS, attributes: [['http.status_code', int(200)], ['ratio', double(0.5)]] },
  { key: 's5', service: 'conf-search-a', operation: 'GET /items', minute: 20, durationNs: 1500n * MS_NS, attributes: [['http.status_code', int(200)], ['user.id', str('carol')], ['flag', bool(true)]], childService: 'conf-search-b' },
  { key: 's6', service: 'conf-search-a', operation: 'DELETE /items', minute: 25, durationNs: 250n * US_NS + 500n, attributes: [['http.status_code', int(204)], ['user.id', str('bob')]], status: Status.OK },
  { key: 's7', service: 'conf-search-b', operation: 'POST /items', minute: 30, durationNs: 2n * SECOND_NS, attributes: [['http.status_code', int(503)]], status: Status.ERROR, childService: 'conf-search-a' },
  { key: 's8', service: 'conf-search-a', operation: 'GET /items', minute: 35, durationNs: 20n * MS_NS, attributes: [['http.status_code', int(200)], ['user.id', str('alice')]] },
];

/** The start of a search fixture trace's root span: its minute, plus 500 ns for s8 so it falls inside a microsecond. */
export const searchStartNs = (s: SearchTraceSpec): bigint =>
  SEARCH_T0_NS + BigInt(s.minute) * 60n * SECOND_NS + (s.key === 's8' ? 500n : 0n);

function searchCase(): CorpusRequest[] {
  return SEARCH_TRACES.map((s, i) => {
    const traceId = traceIdOf(`search-${s.key}`);
    const root = spanIdOf(traceId, 'root');
    const start = searchStartNs(s);
    const spans = [
      span({
        traceId,
        spanId: root,
        name: s.operation,
        kind: Kind.SERVER,
        startNs: start,
        endNs: start + s.durationNs,
        attributes: s.attributes,
        status: s.status ? { code: s.status } : undefined,
        events: [event('handled', start + s.durationNs / 2n, [['event.level', str(s.status === Status.ERROR ? 'error' : 'info')]])],
      }),
      span({
        traceId,
        spanId: spanIdOf(traceId, 'db'),
        parentSpanId: root,
        name: 'SELECT items',
        kind: Kind.CLIENT,
        startNs: start + s.durationNs / 4n,
        endNs: start + s.durationNs / 2n,
        attributes: [['db.system', str('sqlite')]],
      }),
    ];
    const resourceSpans = [{ resource: resource(s.service), scopeSpans: [{ scope: scope('conf-scope'), spans }] }];
    if (s.childService) {
      resourceSpans.push({
        resource: resource(s.childService),
        scopeSpans: [
          {
            scope: scope('conf-scope'),
            spans: [
              span({
                traceId,
                spanId: spanIdOf(traceId, 'downstream'),
                parentSpanId: root,
                name: 'downstream call',
                kind: Kind.SERVER,
                startNs: start + s.durationNs / 8n,
                endNs: start + s.durationNs / 4n,
              }),
            ],
          },
        ],
      });
    }
    return { name: `syn-17-search-${String(i + 1).padStart(2, '0')}-${s.key}`, body: request(resourceSpans) };
  });
}

// ---- case 18: a 5,000-span trace, in ten exports of 500 ----
export const BIG_TRACE_SPANS = 5000;
const BIG_EXPORTS = 10;

function bigCase(): CorpusRequest[] {
  const t = caseStartNs(18);
  const traceId = traceIdOf('big');
  // A 4-ary tree: span i's parent is (i-1)/4. Each child starts 1-4 us after
  // its parent and ends 10 us before it, so no span needs clock-skew care.
  const depth: number[] = [0];
  const startNs: bigint[] = [t];
  const durationNs: bigint[] = [10n * SECOND_NS];
  const services = ['conf-big-gateway', 'conf-big-api', 'conf-big-db'];
  const serviceOf = (d: number) => services[Math.min(2, Math.floor(d / 3))] as string;
  const exports: Map<string, JsonObject[]>[] = Array.from({ length: BIG_EXPORTS }, () => new Map());
  for (let i = 0; i < BIG_TRACE_SPANS; i++) {
    const parent = i === 0 ? undefined : Math.floor((i - 1) / 4);
    if (parent !== undefined) {
      depth[i] = (depth[parent] ?? 0) + 1;
      startNs[i] = (startNs[parent] ?? 0n) + BigInt(((i - 1) % 4) + 1) * US_NS;
      durationNs[i] = (durationNs[parent] ?? 0n) - 10n * US_NS;
    }
    const service = serviceOf(depth[i] ?? 0);
    const s = span({
      traceId,
      spanId: spanIdOf(traceId, String(i)),
      parentSpanId: parent === undefined ? undefined : spanIdOf(traceId, String(parent)),
      name: `op-${i % 20}`,
      kind: i % 4 === 0 ? Kind.SERVER : Kind.INTERNAL,
      startNs: startNs[i] ?? t,
      endNs: (startNs[i] ?? t) + (durationNs[i] ?? 0n),
      attributes: [['i', int(i)]],
    });
    // Spans leave in the order an SDK would export them: in batches, children before parents.
    const batch = exports[BIG_EXPORTS - 1 - Math.floor((i * BIG_EXPORTS) / BIG_TRACE_SPANS)] as Map<string, JsonObject[]>;
    const list = batch.get(service) ?? [];
    list.push(s);
    batch.set(service, list);
  }
  return exports.map((batch, n) => ({
    name: `syn-18-big-${String(n + 1).padStart(2, '0')}`,
    body: request([...batch].map(([service, spans]) => ({ resource: resource(service), scopeSpans: [{ scope: scope('conf-scope'), spans }] }))),
  }));
}

/** The synthetic requests, in the order they are sent. */
export function syntheticCorpus(): CorpusRequest[] {
  return [
    ...attributesCase(),
    ...nonFiniteCase(),
    ...eventsCase(),
    ...linksCase(),
    ...kindsCase(),
    ...stateCase(),
    ...noServiceCase(),
    ...orphansCase(),
    ...duplicatesCase(),
    ...clockSkewCase(),
    ...zipkinCase(),
    ...unicodeCase(),
    ...idsCase(),
    ...adjustersCase(),
    ...interleavedCase(),
    ...timestampsCase(),
    ...searchCase(),
    ...bigCase(),
  ];
}
