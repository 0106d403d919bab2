/**
 * `query`: Jaeger query API latency on a store of 1,000,000 spans.
 *
 * The collector runs as its own process (the CLI, SQLite file in a temp
 * directory). It is filled through its OTLP receiver, as production fills
 * it: 100,000 traces of 10 spans in 3 services, with realistic attributes
 * (HTTP method, route and status, user and order ids, DB statements),
 * spread over the last hour. Then one client asks, one request at a time,
 * as a user of Jaeger UI would: traces by id, searches by service and
 * operation, searches by tag (rare, medium and common values, span and
 * resource attributes), and api_v3 trace summaries; p50/p99 of each.
 */
import fs from 'node:fs';
import path from 'node:path';
import { percentile, type Benchmark, type BenchmarkContext, type Figure } from '../harness.js';
import { fillStore } from '../collector/fill.js';
import { newNonce, SPANS_PER_TRACE, traceIdOf, USERS } from '../collector/otlp-template.js';
import { spawnCollector, tempDir } from '../collector/process.js';
import { OtlpSenders } from '../collector/senders.js';

interface Parameters {
  spans: number;
  spansPerRequest: number;
  fillSenders: number;
  /** Requests per query kind. */
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

async function run(ctx: BenchmarkContext) {
  const p = ctx.smoke ? SMOKE : FULL;
  const tmp = tempDir('tracelens-bench-query-');
  const db = path.join(tmp.dir, 'traces.db');
  const nonce = newNonce();
  const requests = p.spans / p.spansPerRequest;
  const nowNs = BigInt(Date.now()) * 1_000_000n;
  const baseNs = nowNs - HOUR_NS - 60_000_000_000n;
  const stepNs = HOUR_NS / BigInt(requests);
  const collector = await spawnCollector(['--db', db, '--max-spans', '0']);
  const senders = new OtlpSenders();
  const notes: string[] = [];
  try {
    ctx.log(`filling the store with ${p.spans.toLocaleString('en-US')} spans through OTLP/HTTP protobuf`);
    const filled = await fillStore(senders, { otlpUrl: collector.otlpUrl, spans: p.spans, spansPerRequest: p.spansPerRequest, senders: p.fillSenders, nonce, baseNs, stepNs });
    const fillRate = (filled.acked.length * p.spansPerRequest) / (filled.elapsedMs / 1000);
    ctx.log(`filled in ${(filled.elapsedMs / 1000).toFixed(1)} s (${Math.round(fillRate).toLocaleString('en-US')} spans/s)`);
    // Let retention's first pass and the WAL checkpoint settle before measuring.
    await new Promise((r) => setTimeout(r, ctx.smoke ? 200 : 3_000));
    const rssAfterFill = collector.rssBytes();

    const tracesPerRequest = p.spansPerRequest / SPANS_PER_TRACE;
    const random = <T>(list: readonly T[]) => list[Math.floor(Math.random() * list.length)] as T;
    const randomTrace = () => {
      const request = random(filled.acked);
      const t = Math.floor(Math.random() * tracesPerRequest);
      return { request, t, id: traceIdOf(nonce, request, t) };
    };
    const q = collector.queryUrl;
    const window = `start=${(baseNs / 1000n).toString()}&end=${(nowNs / 1000n).toString()}`;
    const samples = { byId: [] as number[], operation: [] as number[], tag: [] as number[], summaries: [] as number[] };
    const tagKinds = new Map<string, number[]>();
    const problems: string[] = [];

    // Warm the HTTP connection and the JIT a little, unmeasured.
    for (let i = 0; i < 5; i++) await get(`${q}/api/traces/${randomTrace().id}`);

    for (let i = 0; i < p.queries; i++) {
      // Trace by id, as the UI opens a trace.
      const trace = randomTrace();
      const byId = await get(`${q}/api/traces/${trace.id}`);
      samples.byId.push(byId.ms);
      const spans = (byId.body as { data: { spans: unknown[] }[] }).data[0]?.spans.length;
      if (spans !== SPANS_PER_TRACE) problems.push(`trace ${trace.id} had ${spans} spans`);

      // Search by service and operation.
      const [service, operation] = random(OPERATIONS);
      const op = await get(`${q}/api/traces?service=${service}&operation=${encodeURIComponent(operation)}&${window}&limit=${p.limit}`);
      samples.operation.push(op.ms);
      if ((op.body as { data: unknown[] }).data.length !== Math.min(p.limit, filled.traces)) problems.push(`${service}/${operation} found too few traces`);

      // Search by tag: a rotating mix of selectivities.
      const t = randomTrace();
      const user = `user-${String((t.request * 7919 + t.t * 104729) % USERS).padStart(5, '0')}`;
      const order = `order-${String((t.request * 1000 + t.t) % 1e10).padStart(10, '0')}`;
      const searches: TagSearch[] = [
        { kind: 'user.id (about 10 traces)', service: 'frontend', tags: { 'user.id': user }, expect: t.id },
        { kind: 'order.id (1 trace)', service: 'checkout', tags: { 'order.id': order }, expect: t.id },
        { kind: 'http.response.status_code=502 (2%)', service: 'frontend', tags: { 'http.response.status_code': '502' } },
        { kind: 'error=true (2%)', service: 'payments', tags: { error: 'true' } },
        { kind: 'http.request.method=GET (common)', service: 'frontend', tags: { 'http.request.method': 'GET' } },
        { kind: 'host.name (resource attribute)', service: 'payments', tags: { 'host.name': 'payments-7d9f8c6b5-x2k4p' } },
      ];
      const search = searches[i % searches.length] as TagSearch;
      const tag = await get(`${q}/api/traces?service=${search.service}&tags=${encodeURIComponent(JSON.stringify(search.tags))}&${window}&limit=${p.limit}`);
      samples.tag.push(tag.ms);
      const kindSamples = tagKinds.get(search.kind) ?? [];
      kindSamples.push(tag.ms);
      tagKinds.set(search.kind, kindSamples);
      const found = (tag.body as { data: { traceID: string }[] }).data.map((d) => d.traceID);
      if (found.length === 0 || (search.expect && !found.includes(search.expect))) problems.push(`tag search ${JSON.stringify(search.tags)} missed ${search.expect ?? 'every trace'}`);

      // api_v3 trace summaries, as a trace list shows them.
      // Both ends of the window are required, as in Jaeger; camelCase names, as Jaeger UI 2.20 sends them.
      const startMin = new Date(Number(baseNs / 1_000_000n)).toISOString();
      const startMax = new Date(Number(nowNs / 1_000_000n)).toISOString();
      const summaries = await get(
        `${q}/api/v3/trace-summaries?query.serviceName=${random(['frontend', 'checkout', 'payments'])}&query.startTimeMin=${startMin}&query.startTimeMax=${startMax}&query.searchDepth=${p.limit}`,
      );
      samples.summaries.push(summaries.ms);
      if ((summaries.body as { summaries: unknown[] }).summaries.length === 0) problems.push('trace summaries came back empty');
    }
    const rssAfterQueries = collector.rssBytes();
    await collector.stop();
    const dbBytes = fs.statSync(db).size;

    if (problems.length > 0) throw new Error(`wrong answers: ${problems.slice(0, 5).join('; ')} (${problems.length} in all)`);
    const r1 = (x: number) => Math.round(x * 10) / 10;
    const figures: Figure[] = [
      { label: 'trace by id (/api/traces/{id}) p50', value: r1(percentile(samples.byId, 50)), unit: 'ms' },
      { label: 'trace by id (/api/traces/{id}) p99', value: r1(percentile(samples.byId, 99)), unit: 'ms', target: { op: '<=', value: 5 } },
      { label: 'search by service + operation p50', value: r1(percentile(samples.operation, 50)), unit: 'ms' },
      { label: 'search by service + operation p99', value: r1(percentile(samples.operation, 99)), unit: 'ms' },
      { label: 'search by tag p50', value: r1(percentile(samples.tag, 50)), unit: 'ms' },
      { label: 'search by tag p99', value: r1(percentile(samples.tag, 99)), unit: 'ms', target: { op: '<=', value: 100 } },
      { label: 'trace summaries (api_v3) p50', value: r1(percentile(samples.summaries, 50)), unit: 'ms' },
      { label: 'trace summaries (api_v3) p99', value: r1(percentile(samples.summaries, 99)), unit: 'ms' },
      { label: 'fill through OTLP protobuf', value: Math.round(fillRate), unit: 'spans/s' },
      { label: 'database file', value: Math.round(dbBytes / 2 ** 20), unit: 'MB' },
    ];
    notes.push(
      `tag search p50/p99 by kind: ${[...tagKinds]
        .map(([kind, s]) => `${kind} ${r1(percentile(s, 50))}/${r1(percentile(s, 99))} ms`)
        .join('; ')}`,
      `collector RSS ${Math.round(rssAfterFill / 2 ** 20)} MB after the fill, ${Math.round(rssAfterQueries / 2 ** 20)} MB after the queries`,
    );
    return {
      measured:
        `Jaeger query API latency through HTTP, one request at a time from the benchmark process, against the collector CLI (own process, SQLite file) ` +
        `filled through its OTLP receiver with ${p.spans.toLocaleString('en-US')} spans (${filled.traces.toLocaleString('en-US')} traces of 10 spans, 3 services) spread over an hour; ` +
        `${p.queries} requests of each kind, searches with limit ${p.limit}.`,
      parameters: { ...p, traces: filled.traces, services: 3 },
      figures,
      notes,
    };
  } finally {
    senders.close();
    await collector.stop().catch(() => {});
    tmp.remove();
  }
}

const query: Benchmark = { name: 'query', run };
export default query;
