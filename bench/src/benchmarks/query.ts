/**
 * `query`: Jaeger query API latency on a large store, the embedded store
 * side by side with the pinned real Jaeger (memory storage, and Badger for
 * a persistent peer), each filled with the same spans and asked the same
 * queries.
 *
 * Each store runs as its own process (the store as the CLI on a SQLite file
 * in a temp directory). Each is filled through its OTLP receiver, as
 * production fills it: 1,000,000 spans by default (`--spans`), traces of 10
 * spans in 3 services, with realistic attributes (HTTP method, route and
 * status, user and order ids, DB statements) and random-looking ids, spread
 * over the last hour. Then one client asks, one request at a time, as a
 * user of Jaeger UI would: traces by id, searches by service and operation,
 * searches by tag (rare, medium and common values, span and resource
 * attributes), api_v3 trace summaries and an hour of RED metrics per
 * operation (the store only: Jaeger 2.12 has no summaries, and no metrics
 * without a Prometheus); each query goes to every store in turn, so drift in the machine's
 * load hits all alike. Afterwards, the bytes each persistent store takes on
 * disk per span.
 */
import path from 'node:path';
import { BACKENDS, percentile, type Benchmark, type BenchmarkContext, type Figure } from '../harness.js';
import { BACKEND_LABEL, jaegerBinary, startBackend, type Backend, type BackendKind } from '../collector/backends.js';
import { fillStore } from '../collector/fill.js';
import { describeLoad, watchMachineLoad } from '../collector/machine-load.js';
import { newNonce, SPANS_PER_TRACE, traceIdOf, USERS } from '../collector/otlp-template.js';
import { tempDir } from '../collector/process.js';
import { OtlpSenders } from '../collector/senders.js';

interface Parameters {
  spans: number;
  spansPerRequest: number;
  fillSenders: number;
  /** Requests per query kind, to each store. */
  queries: number;
  /** Traces a search asks for (Jaeger UI's default is 20). */
  limit: number;
}

const FULL: Parameters = { spans: 1_000_000, spansPerRequest: 500, fillSenders: 4, queries: 300, limit: 20 };
const SMOKE: Parameters = { spans: 10_000, spansPerRequest: 500, fillSenders: 2, queries: 10, limit: 20 };

const HOUR_NS = 3_600_000_000_000n;

/** What the template puts where (see collector/otlp-template.ts). */
const OPERATIONS: [service: string, operation: string][] = [
  ['frontend', 'GET /api/cart'],
  ['frontend', 'auth middleware'],
  ['frontend', 'render cart'],
  ['checkout', 'POST /checkout'],
  ['checkout', 'SELECT orders'],
  ['payments', 'charge card'],
  ['payments', 'INSERT payments'],
];

type Kind = 'byId' | 'operation' | 'tag' | 'summaries' | 'metrics';
const KIND_LABEL: Record<Kind, string> = {
  byId: 'trace by id (/api/traces/{id})',
  operation: 'search by service + operation',
  tag: 'search by tag',
  summaries: 'trace summaries (api_v3)',
  metrics: 'RED metrics, 1 h per operation (/api/metrics/latencies)',
};
/** Kinds only the store answers. */
const STORE_ONLY: readonly Kind[] = ['summaries', 'metrics'];
/** The targets, on the store's p99 at 1M spans. */
const TARGET_P99_MS: Partial<Record<Kind, number>> = { byId: 5, operation: 100, tag: 100, metrics: 50 };

interface TagSearch {
  kind: string;
  service: string;
  tags: Record<string, string>;
  /** Trace that must be in the answer, when known. */
  expect?: string;
}

async function get(url: string): Promise<{ ms: number; body: unknown }> {
  const started = performance.now();
  const res = await fetch(url);
  const body: unknown = await res.json();
  const ms = performance.now() - started;
  if (res.status !== 200) throw new Error(`GET ${url}: ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
  return { ms, body };
}

const r1 = (x: number) => Math.round(x * 10) / 10;
const r2 = (x: number) => Math.round(x * 100) / 100;
const thousands = (x: number) => Math.round(x).toLocaleString('en-US');

async function run(ctx: BenchmarkContext) {
  const p: Parameters = { ...(ctx.smoke ? SMOKE : FULL), ...(ctx.options.spans ? { spans: ctx.options.spans } : {}) };
  if (p.spans % p.spansPerRequest !== 0) throw new Error(`--spans must be a multiple of ${p.spansPerRequest}`);
  const tmp = tempDir('tracelens-bench-query-');
  const nonce = newNonce();
  const requests = p.spans / p.spansPerRequest;
  const nowNs = BigInt(Date.now()) * 1_000_000n;
  const baseNs = nowNs - HOUR_NS - 60_000_000_000n;
  const stepNs = HOUR_NS / BigInt(requests);
  const notes: string[] = [];
  const wanted = ctx.options.backends ?? [...BACKENDS];
  let binary: string | undefined;
  if (wanted.some((k) => k !== 'store')) {
    const jaeger = await jaegerBinary(ctx.log);
    if ('binary' in jaeger) binary = jaeger.binary;
    else notes.push(`Jaeger skipped: ${jaeger.unavailable}`);
  }
  const kinds: BackendKind[] = wanted.filter((k) => k === 'store' || binary);
  if (!kinds.includes('store')) kinds.unshift('store');

  const senders = new OtlpSenders();
  const backends = new Map<BackendKind, Backend>();
  try {
    const filled = new Map<BackendKind, { acked: number[]; traces: number; rate: number }>();
    for (const kind of kinds) {
      const backend = await startBackend(kind, binary, { dir: path.join(tmp.dir, kind), maxTraces: Math.ceil((p.spans / SPANS_PER_TRACE) * 1.1) });
      backends.set(kind, backend);
      ctx.log(`filling ${backend.label} with ${thousands(p.spans)} spans through OTLP/HTTP protobuf`);
      const f = await fillStore(senders, { otlpUrl: backend.otlpUrl, spans: p.spans, spansPerRequest: p.spansPerRequest, senders: p.fillSenders, nonce, baseNs, stepNs });
      const rate = (f.acked.length * p.spansPerRequest) / (f.elapsedMs / 1000);
      filled.set(kind, { acked: f.acked, traces: f.traces, rate });
      ctx.log(`filled ${backend.label} in ${(f.elapsedMs / 1000).toFixed(1)} s (${thousands(rate)} spans/s)`);
    }
    // Every store acknowledged the same requests, so the same traces are in each (a refused one is sent again under a new number).
    const store = filled.get('store') as { acked: number[]; traces: number };
    const ackedBy = [...filled.values()].map((f) => new Set(f.acked));
    const common = store.acked.filter((r) => ackedBy.every((set) => set.has(r)));
    // Let retention's first pass, WAL checkpoints and Badger's compactions settle before measuring.
    await new Promise((r) => setTimeout(r, ctx.smoke ? 200 : 5_000));
    const rssAfterFill = new Map([...backends].map(([k, b]) => [k, b.rssBytes()]));

    const tracesPerRequest = p.spansPerRequest / SPANS_PER_TRACE;
    const random = <T>(list: readonly T[]) => list[Math.floor(Math.random() * list.length)] as T;
    const randomTrace = () => {
      const request = random(common);
      const t = Math.floor(Math.random() * tracesPerRequest);
      return { request, t, id: traceIdOf(nonce, request, t) };
    };
    const window = `start=${(baseNs / 1000n).toString()}&end=${(nowNs / 1000n).toString()}`;
    const samples = new Map<string, number[]>();
    const sample = (kind: BackendKind, what: string, ms: number) => {
      const k = `${kind}/${what}`;
      const list = samples.get(k) ?? [];
      list.push(ms);
      samples.set(k, list);
    };
    const problems: string[] = [];

    // Warm the HTTP connections and caches a little, unmeasured.
    for (const backend of backends.values()) for (let i = 0; i < 5; i++) await get(`${backend.queryUrl}/api/traces/${randomTrace().id}`);

    const load = watchMachineLoad();
    for (let i = 0; i < p.queries; i++) {
      const trace = randomTrace();
      const [service, operation] = random(OPERATIONS);
      const t = randomTrace();
      const user = `user-${String((t.request * 7919 + t.t * 104729) % USERS).padStart(5, '0')}`;
      const order = `order-${String((t.request * 1000 + t.t) % 1e10).padStart(10, '0')}`;
      const searches: TagSearch[] = [
        // A user has traces/USERS traces (10 at 1M spans): the one picked is surely among the newest `limit` only while
        // that stays well under the limit; past it the search is still made, and must find some.
        { kind: `user.id (about ${thousands(store.traces / USERS)} traces)`, service: 'frontend', tags: { 'user.id': user }, ...(store.traces / USERS <= p.limit / 2 ? { expect: t.id } : {}) },
        { kind: 'order.id (1 trace)', service: 'checkout', tags: { 'order.id': order }, expect: t.id },
        { kind: 'http.response.status_code=502 (2%)', service: 'frontend', tags: { 'http.response.status_code': '502' } },
        { kind: 'error=true (2%)', service: 'payments', tags: { error: 'true' } },
        { kind: 'http.request.method=GET (common)', service: 'frontend', tags: { 'http.request.method': 'GET' } },
        { kind: 'host.name (resource attribute)', service: 'payments', tags: { 'host.name': 'payments-7d9f8c6b5-x2k4p' } },
      ];
      const search = searches[i % searches.length] as TagSearch;
      const summaryService = random(['frontend', 'checkout', 'payments']);
      // Each query to every store in turn, starting with a different one each time.
      const order_ = kinds.map((_, k) => kinds[(k + i) % kinds.length] as BackendKind);
      for (const kind of order_) {
        const q = (backends.get(kind) as Backend).queryUrl;
        const label = BACKEND_LABEL[kind];
        // Trace by id, as the UI opens a trace.
        const byId = await get(`${q}/api/traces/${trace.id}`);
        sample(kind, 'byId', byId.ms);
        const spans = (byId.body as { data: { spans: unknown[] }[] }).data[0]?.spans.length;
        if (spans !== SPANS_PER_TRACE) problems.push(`${label}: trace ${trace.id} had ${spans} spans`);

        // Search by service and operation.
        const op = await get(`${q}/api/traces?service=${service}&operation=${encodeURIComponent(operation)}&${window}&limit=${p.limit}`);
        sample(kind, 'operation', op.ms);
        if ((op.body as { data: unknown[] }).data.length !== Math.min(p.limit, store.traces)) problems.push(`${label}: ${service}/${operation} found too few traces`);

        // Search by tag: a rotating mix of selectivities.
        const tag = await get(`${q}/api/traces?service=${search.service}&tags=${encodeURIComponent(JSON.stringify(search.tags))}&${window}&limit=${p.limit}`);
        sample(kind, 'tag', tag.ms);
        sample(kind, `tag/${search.kind}`, tag.ms);
        const found = (tag.body as { data: { traceID: string }[] }).data.map((d) => d.traceID);
        if (found.length === 0 || (search.expect && !found.includes(search.expect))) {
          problems.push(`${label}: tag search ${JSON.stringify(search.tags)} missed ${search.expect ?? 'every trace'}`);
        }

        // api_v3 trace summaries, as a trace list shows them (Jaeger 2.20; the pinned 2.12 has no such endpoint).
        if (kind === 'store') {
          const startMin = new Date(Number(baseNs / 1_000_000n)).toISOString();
          const startMax = new Date(Number(nowNs / 1_000_000n)).toISOString();
          const summaries = await get(
            `${q}/api/v3/trace-summaries?query.serviceName=${summaryService}&query.startTimeMin=${startMin}&query.startTimeMax=${startMax}&query.searchDepth=${p.limit}`,
          );
          sample(kind, 'summaries', summaries.ms);
          if ((summaries.body as { summaries: unknown[] }).summaries.length === 0) problems.push('store: trace summaries came back empty');

          // The /services page's heaviest question: p95 per operation over the hour, a point a minute.
          const endTs = Number(nowNs / 1_000_000n);
          const red = await get(
            `${q}/api/metrics/latencies?service=frontend&service=checkout&service=payments&quantile=0.95&groupByOperation=true&spanKind=server&spanKind=client&spanKind=internal&endTs=${endTs}&lookback=3600000&step=60000&ratePer=60000`,
          );
          sample(kind, 'metrics', red.ms);
          if (((red.body as { metrics?: unknown[] }).metrics ?? []).length === 0) problems.push('store: the metrics API found no series');
        }
      }
    }
    const machineLoad = load();
    const rssAfterQueries = new Map([...backends].map(([k, b]) => [k, b.rssBytes()]));
    const diskBytes = new Map<BackendKind, number | undefined>();
    for (const [kind, backend] of backends) {
      await backend.stop();
      diskBytes.set(kind, backend.diskBytes());
    }
    if (problems.length > 0) throw new Error(`wrong answers: ${problems.slice(0, 5).join('; ')} (${problems.length} in all)`);

    const figures: Figure[] = [];
    const stat = (kind: BackendKind, what: string, pct: number) => percentile(samples.get(`${kind}/${what}`) ?? [], pct);
    for (const what of ['byId', 'operation', 'tag', 'summaries', 'metrics'] as Kind[]) {
      for (const pct of [50, 99]) {
        for (const kind of kinds) {
          if (STORE_ONLY.includes(what) && kind !== 'store') continue;
          const target = kind === 'store' && pct === 99 ? TARGET_P99_MS[what] : undefined;
          figures.push({
            label: `${KIND_LABEL[what]} p${pct}, ${BACKEND_LABEL[kind]}`,
            value: r1(stat(kind, what, pct)),
            unit: 'ms',
            ...(target !== undefined ? { target: { op: '<=' as const, value: target } } : {}),
          });
        }
        if (!STORE_ONLY.includes(what)) {
          for (const kind of kinds) {
            if (kind === 'store') continue;
            figures.push({ label: `${KIND_LABEL[what]} p${pct}, store ÷ ${BACKEND_LABEL[kind]}`, value: r2(stat('store', what, pct) / stat(kind, what, pct)), unit: '×' });
          }
        }
      }
    }
    for (const kind of kinds) {
      const f = filled.get(kind);
      if (f) figures.push({ label: `fill through OTLP protobuf, ${BACKEND_LABEL[kind]}`, value: Math.round(f.rate), unit: 'spans/s' });
    }
    for (const kind of kinds) {
      const bytes = diskBytes.get(kind);
      if (bytes !== undefined) {
        figures.push({
          label: `bytes on disk per span, ${BACKEND_LABEL[kind]}`,
          value: Math.round(bytes / p.spans),
          unit: 'B',
          ...(kind === 'store' ? { target: { op: '<=' as const, value: 400 } } : {}),
        });
      }
    }
    for (const kind of kinds) {
      figures.push({ label: `RSS after the queries, ${BACKEND_LABEL[kind]}`, value: Math.round((rssAfterQueries.get(kind) ?? NaN) / 2 ** 20), unit: 'MB' });
    }
    for (const kind of kinds) {
      const tagKinds = [...samples.keys()].filter((k) => k.startsWith(`${kind}/tag/`));
      notes.push(
        `${BACKEND_LABEL[kind]} tag search p50/p99 by kind: ${tagKinds
          .map((k) => `${k.slice(`${kind}/tag/`.length)} ${r1(percentile(samples.get(k) ?? [], 50))}/${r1(percentile(samples.get(k) ?? [], 99))} ms`)
          .join('; ')}`,
      );
      notes.push(
        `${BACKEND_LABEL[kind]} RSS ${Math.round((rssAfterFill.get(kind) ?? NaN) / 2 ** 20)} MB after the fill, ${Math.round((rssAfterQueries.get(kind) ?? NaN) / 2 ** 20)} MB after the queries`,
      );
    }
    notes.unshift(describeLoad(machineLoad));
    return {
      measured:
        `Jaeger query API latency through HTTP, one request at a time from the benchmark process, against each store (own process each: the collector CLI on a SQLite file; ` +
        `the pinned Jaeger 2.12 with memory storage; the same Jaeger with Badger) filled through its OTLP receiver with ${thousands(p.spans)} spans ` +
        `(${thousands(store.traces)} traces of 10 spans, 3 services) spread over an hour; ${p.queries} requests of each kind to each store, searches with limit ${p.limit}; ` +
        'bytes on disk after the store stopped.',
      parameters: { ...p, traces: store.traces, services: 3, backends: kinds },
      figures,
      notes,
    };
  } finally {
    senders.close();
    for (const backend of backends.values()) await backend.stop().catch(() => {});
    tmp.remove();
  }
}

const query: Benchmark = { name: 'query', run };
export default query;
