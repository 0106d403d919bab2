import { MS_NS, SECOND_NS } from './otlp-json.js';
import { APP_DAY_NS, appTraceId, firstAppExport } from './corpus.js';
import { SEARCH_T0_NS, SEARCH_TRACES, T0_NS, caseStartNs, searchStartNs, traceIdOf } from './synthetic.js';

/**
 * The queries sent to both backends after the corpus, one table: name ->
 * request. The name is also the golden file's (golden/<name>.json). Every
 * search names an absolute window, so answers do not depend on the clock.
 */
export interface Query {
  name: string;
  method?: 'GET' | 'POST';
  /** Path and query string, already encoded. */
  path: string;
  /** POST body: the text of this corpus file (for /api/transform). */
  bodyFromCorpus?: string;
  /**
   * Jaeger 2.12 adjusts the trace it reads for this answer in place, in its
   * memory storage (api_v3 reads without raw traces: sorted attributes,
   * removed duplicates, warnings appended on every read). Such a query runs
   * on a Jaeger that no earlier such query has touched; see README.
   */
  mutatesJaeger?: true;
}

/** Hand-written requests to the OTLP receiver, sent after every query (some of them Jaeger stores anyway). */
export interface OtlpRequest {
  name: string;
  method?: 'GET' | 'POST' | 'PUT';
  path?: string;
  contentType?: string;
  body?: string;
}

const us = (ns: bigint): string => String(ns / 1000n);
const ms = (ns: bigint): string => String(ns / MS_NS);
const enc = encodeURIComponent;
const q = (params: Record<string, string | string[]>): string => {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) for (const v of [value].flat()) search.append(key, v);
  return search.toString();
};
/** RFC 3339 with nanoseconds, as api_v3 takes times. */
const rfc3339 = (ns: bigint): string => {
  const seconds = ns / SECOND_NS;
  const date = new Date(Number(seconds) * 1000).toISOString().slice(0, 19);
  const fraction = (ns % SECOND_NS).toString().padStart(9, '0').replace(/0+$/, '');
  return `${date}${fraction ? `.${fraction}` : ''}Z`;
};

const id = traceIdOf;
const searchId = (key: string) => traceIdOf(`search-${key}`);
const searchStart = (key: string) => searchStartNs(SEARCH_TRACES.find((s) => s.key === key) ?? (SEARCH_TRACES[0] as never));

/** The search fixtures' hour, in microseconds as v1 takes it. */
const HOUR = { start: us(SEARCH_T0_NS), end: us(SEARCH_T0_NS + 3600n * SECOND_NS) };
/** The whole synthetic day. */
const DAY = { start: us(T0_NS), end: us(T0_NS + 24n * 3600n * SECOND_NS) };

const SHORT_TRACE = '00000000000000000000000000abc123';
const UPPER_TRACE = 'ABCDEF0123456789ABCDEF0123456789';
const UNKNOWN_TRACE = '0000000000000000000000000000abcd';

/**
 * v1 trace-by-id queries: one per synthetic trace worth reading whole. Not
 * the non-finite doubles one: Jaeger answers it 500 (see the README's
 * differences table); api_v3 reads it below.
 */
const V1_TRACES: [string, string][] = [
  ['attributes', id('attributes')],
  ['events', id('events')],
  ['links', id('links')],
  ['kinds-statuses', id('kinds')],
  ['state-dropped-scope', id('state')],
  ['no-service-name', id('no-service')],
  ['orphan-with-root', id('orphans-with-root')],
  ['orphan-only', id('orphans-only')],
  ['two-roots', id('orphans-two-roots')],
  ['duplicates', id('duplicates')],
  ['clock-skew', id('clock-skew')],
  ['zipkin-shared-id', id('zipkin')],
  ['unicode-long', id('unicode')],
  ['short-id', SHORT_TRACE],
  ['uppercase-id', UPPER_TRACE],
  ['adjusters', id('adjusters')],
  ['interleaved-one', id('interleaved-one')],
  ['interleaved-two', id('interleaved-two')],
  ['timestamps', id('timestamps')],
  ['search-s3', searchId('s3')],
  ['big', id('big')],
];

/** api_v3 trace-by-id queries (Jaeger adjusts these in its storage, see mutatesJaeger). */
const V3_TRACES: [string, string][] = [
  ['attributes', id('attributes')],
  ['events', id('events')],
  ['links', id('links')],
  ['kinds-statuses', id('kinds')],
  ['state-dropped-scope', id('state')],
  ['no-service-name', id('no-service')],
  ['orphan-with-root', id('orphans-with-root')],
  ['duplicates', id('duplicates')],
  ['clock-skew', id('clock-skew')],
  ['zipkin-shared-id', id('zipkin')],
  ['unicode-long', id('unicode')],
  ['short-id', SHORT_TRACE],
  ['adjusters', id('adjusters')],
  ['interleaved-one', id('interleaved-one')],
  ['timestamps', id('timestamps')],
  ['big', id('big')],
];

/** The recorded app traffic's day, and its traces, found by a span each. */
const APP_DAY = { start: us(APP_DAY_NS), end: us(APP_DAY_NS + 24n * 3600n * SECOND_NS) };
const APP = {
  documentLoad: appTraceId('web-ui', 'documentLoad'),
  pageRender: appTraceId('frontend-api', 'GET /'),
  click: appTraceId('web-ui', 'process click', ['user.name', 'alice']),
  error: appTraceId('web-ui', 'process click', ['user.name', 'charlie_error']),
  contention: appTraceId('frontend-api', 'scenario contention'),
  fanout: appTraceId('frontend-api', 'fan-out'),
  flaky: appTraceId('data-processor', 'call inventory'),
  timeout: appTraceId('frontend-api', 'scenario timeout'),
};

const v3Window = (fromNs: bigint, toNs: bigint) => ({
  'query.start_time_min': rfc3339(fromNs),
  'query.start_time_max': rfc3339(toNs),
});
const V3_HOUR = v3Window(SEARCH_T0_NS, SEARCH_T0_NS + 3600n * SECOND_NS);

export const QUERIES: Query[] = [
  // ---- v1: services and operations ----
  { name: 'v1-services', path: '/api/services' },
  { name: 'v1-operations-legacy-kinds', path: '/api/services/conf-kinds/operations' },
  { name: 'v1-operations-legacy-search-a', path: '/api/services/conf-search-a/operations' },
  { name: 'v1-operations-legacy-unicode', path: `/api/services/${enc('conf-ünïcødé-サービス')}/operations` },
  { name: 'v1-operations-legacy-unknown-service', path: '/api/services/no-such-service/operations' },
  { name: 'v1-operations-legacy-nameless-service', path: '/api/services/OTLPResourceNoServiceName/operations' },
  { name: 'v1-operations', path: `/api/operations?${q({ service: 'conf-kinds' })}` },
  { name: 'v1-operations-span-kind-server', path: `/api/operations?${q({ service: 'conf-kinds', spanKind: 'server' })}` },
  { name: 'v1-operations-span-kind-client', path: `/api/operations?${q({ service: 'conf-kinds', spanKind: 'client' })}` },
  { name: 'v1-operations-span-kind-empty', path: `/api/operations?${q({ service: 'conf-kinds', spanKind: '' })}` },
  { name: 'v1-operations-span-kind-unknown', path: `/api/operations?${q({ service: 'conf-kinds', spanKind: 'sideways' })}` },
  { name: 'v1-operations-span-kind-uppercase', path: `/api/operations?${q({ service: 'conf-kinds', spanKind: 'SERVER' })}` },
  { name: 'v1-operations-unknown-service', path: `/api/operations?${q({ service: 'no-such-service' })}` },
  { name: 'v1-operations-no-service', path: '/api/operations' },

  // ---- v1: traces by id ----
  ...V1_TRACES.map(([name, traceId]): Query => ({ name: `v1-trace-${name}`, path: `/api/traces/${traceId}` })),
  { name: 'v1-trace-short-id-16-digits', path: '/api/traces/0000000000abc123' },
  { name: 'v1-trace-short-id-trimmed', path: '/api/traces/abc123' },
  { name: 'v1-trace-lowercased-id', path: `/api/traces/${UPPER_TRACE.toLowerCase()}` },
  { name: 'v1-trace-raw-duplicates', path: `/api/traces/${id('duplicates')}?raw=true` },
  { name: 'v1-trace-raw-clock-skew', path: `/api/traces/${id('clock-skew')}?raw=true` },
  { name: 'v1-trace-raw-zipkin-shared-id', path: `/api/traces/${id('zipkin')}?raw=true` },
  { name: 'v1-trace-raw-adjusters', path: `/api/traces/${id('adjusters')}?raw=1` },
  { name: 'v1-trace-raw-false', path: `/api/traces/${id('duplicates')}?raw=false` },
  { name: 'v1-trace-pretty-print', path: `/api/traces/${id('events')}?prettyPrint=true` },
  { name: 'v1-trace-pretty-print-false', path: `/api/traces/${id('events')}?prettyPrint=false` },
  { name: 'v1-trace-with-window', path: `/api/traces/${id('events')}?${q({ start: DAY.start, end: DAY.end })}` },
  { name: 'v1-trace-unknown', path: `/api/traces/${UNKNOWN_TRACE}` },
  { name: 'v1-trace-malformed-id', path: '/api/traces/not-hex' },
  { name: 'v1-trace-too-long-id', path: `/api/traces/${'a'.repeat(33)}` },
  { name: 'v1-trace-malformed-raw', path: `/api/traces/${id('events')}?raw=maybe` },
  { name: 'v1-trace-malformed-start', path: `/api/traces/${id('events')}?start=yesterday` },

  // ---- v1: several traces by id ----
  { name: 'v1-trace-ids-known-and-unknown', path: `/api/traces?${q({ traceID: [id('events'), UNKNOWN_TRACE] })}` },
  { name: 'v1-trace-ids-two-known', path: `/api/traces?${q({ traceID: [id('links'), id('orphans-only')] })}` },
  { name: 'v1-trace-ids-unknown-only', path: `/api/traces?${q({ traceID: [UNKNOWN_TRACE, 'ffffffffffffffffffffffffffffffff'] })}` },
  { name: 'v1-trace-ids-short-forms', path: `/api/traces?${q({ traceID: ['abc123', 'abcd'] })}` },
  { name: 'v1-trace-ids-raw', path: `/api/traces?${q({ traceID: [id('duplicates')], raw: 'true' })}` },
  { name: 'v1-trace-ids-with-service', path: `/api/traces?${q({ traceID: [id('events')], service: 'someone-else' })}` },
  { name: 'v1-trace-ids-malformed', path: `/api/traces?${q({ traceID: [id('events'), 'zz'] })}` },

  // ---- v1: search ----
  { name: 'v1-search-service', path: `/api/traces?${q({ service: 'conf-search-a', ...HOUR })}` },
  { name: 'v1-search-service-b', path: `/api/traces?${q({ service: 'conf-search-b', ...HOUR })}` },
  { name: 'v1-search-operation', path: `/api/traces?${q({ service: 'conf-search-a', operation: 'GET /items', ...HOUR })}` },
  { name: 'v1-search-operation-of-child-span', path: `/api/traces?${q({ service: 'conf-search-a', operation: 'SELECT items', ...HOUR })}` },
  { name: 'v1-search-tags-json', path: `/api/traces?${q({ service: 'conf-search-a', tags: '{"http.status_code":"500"}', ...HOUR })}` },
  { name: 'v1-search-tag', path: `/api/traces?${q({ service: 'conf-search-a', tag: 'user.id:alice', ...HOUR })}` },
  { name: 'v1-search-tag-and-tags', path: `/api/traces?${q({ service: 'conf-search-a', tag: 'user.id:alice', tags: '{"http.status_code":"200"}', ...HOUR })}` },
  { name: 'v1-search-tags-override-tag', path: `/api/traces?${q({ service: 'conf-search-a', tag: 'user.id:alice', tags: '{"user.id":"bob"}', ...HOUR })}` },
  { name: 'v1-search-two-tags-one-span', path: `/api/traces?${q({ service: 'conf-search-a', tag: ['user.id:alice', 'db.system:sqlite'], ...HOUR })}` },
  { name: 'v1-search-tag-double', path: `/api/traces?${q({ service: 'conf-search-b', tag: 'ratio:0.5', ...HOUR })}` },
  { name: 'v1-search-tag-bool', path: `/api/traces?${q({ service: 'conf-search-a', tag: 'flag:true', ...HOUR })}` },
  { name: 'v1-search-tag-event-attribute', path: `/api/traces?${q({ service: 'conf-search-a', tag: 'event.level:error', ...HOUR })}` },
  { name: 'v1-search-tag-resource-attribute', path: `/api/traces?${q({ service: 'conf-attributes', tag: 'host.name:attributes-host', ...DAY })}` },
  { name: 'v1-search-tag-scope-attribute', path: `/api/traces?${q({ service: 'conf-attributes', tag: 'scope.attr:scoped', ...DAY })}` },
  { name: 'v1-search-tag-int-attribute', path: `/api/traces?${q({ service: 'conf-attributes', tag: 'int.past.2^53:9007199254740993', ...DAY })}` },
  { name: 'v1-search-tag-kvlist-attribute', path: `/api/traces?${q({ service: 'conf-attributes', tags: JSON.stringify({ kvlist: '{"alpha":1,"nested":{"a":2.5,"b":false},"zeta":"last"}' }), ...DAY })}` },
  { name: 'v1-search-tag-array-attribute', path: `/api/traces?${q({ service: 'conf-attributes', tags: JSON.stringify({ 'array.mixed': '["x",7,0.5,true,[1,2],null]' }), ...DAY })}` },
  { name: 'v1-search-tag-bytes-attribute', path: `/api/traces?${q({ service: 'conf-attributes', tag: 'bytes:AAEC/f7/', ...DAY })}` },
  { name: 'v1-search-tag-double-tiny', path: `/api/traces?${q({ service: 'conf-attributes', tag: 'double.tiny:1e-7', ...DAY })}` },
  { name: 'v1-search-tag-double-huge', path: `/api/traces?${q({ service: 'conf-attributes', tag: 'double.huge:1e+21', ...DAY })}` },
  { name: 'v1-search-tag-colon-in-value', path: `/api/traces?${q({ service: 'conf-ünïcødé-サービス', tag: 'k:colon:v:with:colons', ...DAY })}` },
  { name: 'v1-search-tag-no-match', path: `/api/traces?${q({ service: 'conf-search-a', tag: 'user.id:mallory', ...HOUR })}` },
  { name: 'v1-search-min-duration', path: `/api/traces?${q({ service: 'conf-search-a', minDuration: '100ms', ...HOUR })}` },
  { name: 'v1-search-max-duration', path: `/api/traces?${q({ service: 'conf-search-a', maxDuration: '10ms', ...HOUR })}` },
  { name: 'v1-search-duration-range', path: `/api/traces?${q({ service: 'conf-search-a', minDuration: '5ms', maxDuration: '1.5s', ...HOUR })}` },
  { name: 'v1-search-duration-nanoseconds', path: `/api/traces?${q({ service: 'conf-search-a', minDuration: '250500ns', maxDuration: '250.5us', ...HOUR })}` },
  { name: 'v1-search-duration-just-above', path: `/api/traces?${q({ service: 'conf-search-a', minDuration: '250501ns', maxDuration: '1ms', ...HOUR })}` },
  { name: 'v1-search-limit', path: `/api/traces?${q({ service: 'conf-search-a', limit: '2', ...HOUR })}` },
  { name: 'v1-search-limit-one-operation', path: `/api/traces?${q({ service: 'conf-search-a', operation: 'GET /items', limit: '1', ...HOUR })}` },
  {
    name: 'v1-search-window',
    path: `/api/traces?${q({ service: 'conf-search-a', start: us(searchStart('s3')), end: us(searchStart('s5')) })}`,
  },
  {
    name: 'v1-search-window-end-inside-a-microsecond',
    path: `/api/traces?${q({ service: 'conf-search-a', operation: 'GET /items', start: us(searchStart('s5') + SECOND_NS), end: us(searchStart('s8')) })}`,
  },
  {
    name: 'v1-search-window-end-after-that-microsecond',
    path: `/api/traces?${q({ service: 'conf-search-a', operation: 'GET /items', start: us(searchStart('s5') + SECOND_NS), end: String(BigInt(us(searchStart('s8'))) + 1n) })}`,
  },
  { name: 'v1-search-lookback-is-ignored', path: `/api/traces?${q({ service: 'conf-search-b', lookback: '1m', ...HOUR })}` },
  { name: 'v1-search-raw', path: `/api/traces?${q({ service: 'conf-duplicates', raw: 'true', ...DAY })}` },
  { name: 'v1-search-adjusted', path: `/api/traces?${q({ service: 'conf-duplicates', ...DAY })}` },
  { name: 'v1-search-orphans', path: `/api/traces?${q({ service: 'conf-orphans', ...DAY })}` },
  { name: 'v1-search-unknown-service', path: `/api/traces?${q({ service: 'no-such-service', ...DAY })}` },
  { name: 'v1-search-nameless-service', path: `/api/traces?${q({ service: 'OTLPResourceNoServiceName', ...DAY })}` },
  { name: 'v1-search-no-service', path: `/api/traces?${q(HOUR)}` },
  { name: 'v1-search-malformed-start', path: `/api/traces?${q({ service: 'conf-search-a', start: 'soon', end: HOUR.end })}` },
  { name: 'v1-search-malformed-end', path: `/api/traces?${q({ service: 'conf-search-a', start: HOUR.start, end: '1.5' })}` },
  { name: 'v1-search-malformed-limit', path: `/api/traces?${q({ service: 'conf-search-a', limit: 'ten', ...HOUR })}` },
  { name: 'v1-search-limit-out-of-range', path: `/api/traces?${q({ service: 'conf-search-a', limit: '99999999999', ...HOUR })}` },
  { name: 'v1-search-malformed-min-duration', path: `/api/traces?${q({ service: 'conf-search-a', minDuration: 'fast', ...HOUR })}` },
  { name: 'v1-search-min-duration-without-unit', path: `/api/traces?${q({ service: 'conf-search-a', minDuration: '100', ...HOUR })}` },
  { name: 'v1-search-unknown-duration-unit', path: `/api/traces?${q({ service: 'conf-search-a', maxDuration: '3d', ...HOUR })}` },
  { name: 'v1-search-max-below-min-duration', path: `/api/traces?${q({ service: 'conf-search-a', minDuration: '1s', maxDuration: '10ms', ...HOUR })}` },
  { name: 'v1-search-malformed-tag', path: `/api/traces?${q({ service: 'conf-search-a', tag: 'user.id', ...HOUR })}` },
  { name: 'v1-search-malformed-tags-json', path: `/api/traces?${q({ service: 'conf-search-a', tags: '{"user.id":', ...HOUR })}` },
  { name: 'v1-search-tags-json-not-strings', path: `/api/traces?${q({ service: 'conf-search-a', tags: '{"http.status_code":500}', ...HOUR })}` },
  { name: 'v1-search-malformed-raw', path: `/api/traces?${q({ service: 'conf-search-a', raw: 'yes', ...HOUR })}` },

  // ---- v1: dependencies (milliseconds) ----
  { name: 'v1-dependencies-search-hour', path: `/api/dependencies?${q({ endTs: ms(SEARCH_T0_NS + 3600n * SECOND_NS), lookback: String(3600 * 1000) })}` },
  { name: 'v1-dependencies-day', path: `/api/dependencies?${q({ endTs: ms(T0_NS + 24n * 3600n * SECOND_NS), lookback: String(24 * 3600 * 1000) })}` },
  { name: 'v1-dependencies-service', path: `/api/dependencies?${q({ endTs: ms(T0_NS + 24n * 3600n * SECOND_NS), lookback: String(24 * 3600 * 1000), service: 'conf-search-b' })}` },
  { name: 'v1-dependencies-window-cuts-a-trace', path: `/api/dependencies?${q({ endTs: ms(searchStart('s7') + SECOND_NS), lookback: String(60 * 1000) })}` },
  { name: 'v1-dependencies-empty', path: `/api/dependencies?${q({ endTs: '1000', lookback: '1000' })}` },
  { name: 'v1-dependencies-malformed-end', path: `/api/dependencies?${q({ endTs: 'now', lookback: '1000' })}` },
  { name: 'v1-dependencies-malformed-lookback', path: `/api/dependencies?${q({ endTs: '1000', lookback: '1h' })}` },

  // ---- v1: /api/transform (OTLP/JSON in, Jaeger JSON out, nothing stored) ----
  { name: 'v1-transform-attributes', method: 'POST', path: '/api/transform', bodyFromCorpus: 'syn-01-attributes' },
  { name: 'v1-transform-links', method: 'POST', path: '/api/transform', bodyFromCorpus: 'syn-04-links' },
  { name: 'v1-transform-duplicates', method: 'POST', path: '/api/transform', bodyFromCorpus: 'syn-09a-duplicates' },
  { name: 'v1-transform-no-service-name', method: 'POST', path: '/api/transform', bodyFromCorpus: 'syn-07-no-service-name' },

  // ---- the recorded app traffic ----
  ...Object.entries(APP).map(([name, traceId]): Query => ({ name: `v1-app-trace-${name}`, path: `/api/traces/${traceId}` })),
  { name: 'v1-app-trace-ids-click-and-error', path: `/api/traces?${q({ traceID: [APP.click, APP.error] })}` },
  { name: 'v1-app-operations-frontend-api', path: '/api/services/frontend-api/operations' },
  { name: 'v1-app-operations-data-processor-server', path: `/api/operations?${q({ service: 'data-processor', spanKind: 'server' })}` },
  { name: 'v1-app-search-frontend-api', path: `/api/traces?${q({ service: 'frontend-api', limit: '20', ...APP_DAY })}` },
  { name: 'v1-app-search-user', path: `/api/traces?${q({ service: 'frontend-api', tag: 'user.name:alice', ...APP_DAY })}` },
  { name: 'v1-app-search-slow', path: `/api/traces?${q({ service: 'data-processor', minDuration: '500ms', ...APP_DAY })}` },
  { name: 'v1-app-search-operation', path: `/api/traces?${q({ service: 'web-ui', operation: 'scenario click', ...APP_DAY })}` },
  { name: 'v1-app-dependencies', path: `/api/dependencies?${q({ endTs: ms(APP_DAY_NS + 24n * 3600n * SECOND_NS), lookback: String(24 * 3600 * 1000) })}` },
  { name: 'v1-transform-app-browser-export', method: 'POST', path: '/api/transform', bodyFromCorpus: firstAppExport('web-ui') },
  ...(['click', 'error', 'flaky', 'documentLoad'] as const).map((name): Query => ({ name: `v3-app-trace-${name}`, path: `/api/v3/traces/${APP[name]}`, mutatesJaeger: true })),
  { name: 'v3-app-search-web-ui-raw', path: `/api/v3/traces?${q({ 'query.service_name': 'web-ui', ...v3Window(APP_DAY_NS, APP_DAY_NS + 24n * 3600n * SECOND_NS), 'query.num_traces': '20', 'query.raw_traces': 'true' })}` },

  // ---- api_v3: services, operations ----
  { name: 'v3-services', path: '/api/v3/services' },
  { name: 'v3-operations', path: `/api/v3/operations?${q({ service: 'conf-kinds' })}` },
  { name: 'v3-operations-span-kind', path: `/api/v3/operations?${q({ service: 'conf-kinds', span_kind: 'server' })}` },
  { name: 'v3-operations-unknown-service', path: `/api/v3/operations?${q({ service: 'no-such-service' })}` },
  { name: 'v3-operations-no-service', path: '/api/v3/operations' },

  // ---- api_v3: traces by id ----
  ...V3_TRACES.map(([name, traceId]): Query => ({ name: `v3-trace-${name}`, path: `/api/v3/traces/${traceId}`, mutatesJaeger: true })),
  { name: 'v3-trace-raw-duplicates', path: `/api/v3/traces/${id('duplicates')}?raw_traces=true` },
  { name: 'v3-trace-raw-clock-skew', path: `/api/v3/traces/${id('clock-skew')}?raw_traces=true` },
  { name: 'v3-trace-raw-adjusters', path: `/api/v3/traces/${id('adjusters')}?raw_traces=true` },
  { name: 'v3-trace-raw-attributes', path: `/api/v3/traces/${id('attributes')}?raw_traces=true` },
  { name: 'v3-trace-raw-nonfinite', path: `/api/v3/traces/${id('non-finite')}?raw_traces=true` },
  { name: 'v3-trace-raw-with-window', path: `/api/v3/traces/${id('events')}?${q({ raw_traces: 'true', start_time: rfc3339(T0_NS), end_time: rfc3339(T0_NS + 24n * 3600n * SECOND_NS) })}` },
  { name: 'v3-trace-unknown', path: `/api/v3/traces/${UNKNOWN_TRACE}` },
  { name: 'v3-trace-malformed-id', path: '/api/v3/traces/not-hex' },
  { name: 'v3-trace-malformed-start-time', path: `/api/v3/traces/${id('events')}?start_time=2024-01-01` },
  { name: 'v3-trace-malformed-raw', path: `/api/v3/traces/${id('events')}?raw_traces=perhaps` },

  // ---- api_v3: trace search (the parameter spellings 2.12 reads) ----
  { name: 'v3-search-service', path: `/api/v3/traces?${q({ 'query.service_name': 'conf-search-b', ...V3_HOUR, 'query.num_traces': '20' })}`, mutatesJaeger: true },
  { name: 'v3-search-raw', path: `/api/v3/traces?${q({ 'query.service_name': 'conf-search-a', ...V3_HOUR, 'query.num_traces': '20', 'query.raw_traces': 'true' })}` },
  {
    name: 'v3-search-operation-raw',
    path: `/api/v3/traces?${q({ 'query.service_name': 'conf-search-a', 'query.operation_name': 'GET /items', ...V3_HOUR, 'query.num_traces': '20', 'query.raw_traces': 'true' })}`,
  },
  {
    name: 'v3-search-durations-raw',
    path: `/api/v3/traces?${q({ 'query.service_name': 'conf-search-a', ...V3_HOUR, 'query.duration_min': '5ms', 'query.duration_max': '1.5s', 'query.num_traces': '20', 'query.raw_traces': 'true' })}`,
  },
  { name: 'v3-search-limit-raw', path: `/api/v3/traces?${q({ 'query.service_name': 'conf-search-a', ...V3_HOUR, 'query.num_traces': '1', 'query.raw_traces': 'true' })}` },
  {
    name: 'v3-search-nanosecond-window-raw',
    path: `/api/v3/traces?${q({ 'query.service_name': 'conf-search-a', 'query.operation_name': 'GET /items', ...v3Window(searchStart('s8'), searchStart('s8') + SECOND_NS), 'query.num_traces': '20', 'query.raw_traces': 'true' })}`,
  },
  {
    name: 'v3-search-nanosecond-window-misses-raw',
    path: `/api/v3/traces?${q({ 'query.service_name': 'conf-search-a', 'query.operation_name': 'GET /items', ...v3Window(searchStart('s8') + 1n, searchStart('s8') + SECOND_NS), 'query.num_traces': '20', 'query.raw_traces': 'true' })}`,
  },
  { name: 'v3-search-any-service-raw', path: `/api/v3/traces?${q({ ...v3Window(caseStartNs(7), caseStartNs(8)), 'query.num_traces': '20', 'query.raw_traces': 'true' })}` },
  { name: 'v3-search-no-match', path: `/api/v3/traces?${q({ 'query.service_name': 'no-such-service', ...V3_HOUR, 'query.num_traces': '20' })}` },
  { name: 'v3-search-no-time-range', path: `/api/v3/traces?${q({ 'query.service_name': 'conf-search-a', 'query.num_traces': '20' })}` },
  { name: 'v3-search-no-end-time', path: `/api/v3/traces?${q({ 'query.service_name': 'conf-search-a', 'query.start_time_min': V3_HOUR['query.start_time_min'], 'query.num_traces': '20' })}` },
  { name: 'v3-search-malformed-start-time', path: `/api/v3/traces?${q({ ...V3_HOUR, 'query.start_time_min': '2024-01-01 02:00:00', 'query.num_traces': '20' })}` },
  { name: 'v3-search-malformed-end-time', path: `/api/v3/traces?${q({ ...V3_HOUR, 'query.start_time_max': 'tomorrow', 'query.num_traces': '20' })}` },
  { name: 'v3-search-out-of-range-time', path: `/api/v3/traces?${q({ ...V3_HOUR, 'query.start_time_max': '2024-13-01T00:00:00Z', 'query.num_traces': '20' })}` },
  { name: 'v3-search-malformed-num-traces', path: `/api/v3/traces?${q({ ...V3_HOUR, 'query.num_traces': 'many' })}` },
  { name: 'v3-search-malformed-duration', path: `/api/v3/traces?${q({ ...V3_HOUR, 'query.num_traces': '20', 'query.duration_min': '5 ms' })}` },
  { name: 'v3-search-malformed-raw-traces', path: `/api/v3/traces?${q({ ...V3_HOUR, 'query.num_traces': '20', 'query.raw_traces': 'nope' })}` },
];

/** Requests the OTLP receivers must answer alike. Sent last: Jaeger stores some bodies the store refuses, and an all-zero trace id would break its search. */
export const OTLP_REQUESTS: OtlpRequest[] = [
  { name: 'empty-object', contentType: 'application/json', body: '{}' },
  { name: 'empty-resource-spans', contentType: 'application/json', body: '{"resourceSpans":[]}' },
  { name: 'unknown-fields', contentType: 'application/json', body: '{"resourceSpans":[],"extra":{"nested":true}}' },
  { name: 'not-json', contentType: 'application/json', body: 'this is not json' },
  { name: 'wrong-type', contentType: 'application/json', body: '{"resourceSpans":"not a list"}' },
  {
    name: 'short-trace-id',
    contentType: 'application/json',
    body: JSON.stringify({
      resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: 'abc', spanId: '0000000000000001', name: 'x', startTimeUnixNano: '1', endTimeUnixNano: '2' }] }] }],
    }),
  },
  { name: 'empty-protobuf', contentType: 'application/x-protobuf', body: '' },
  { name: 'garbage-protobuf', contentType: 'application/x-protobuf', body: '\u00ff\u00ff\u00ff\u00ff' },
  { name: 'text-plain', contentType: 'text/plain', body: '{}' },
  { name: 'get', method: 'GET' },
  { name: 'unknown-path', path: '/v1/metrics-of-another-kind', contentType: 'application/json', body: '{}' },
];
