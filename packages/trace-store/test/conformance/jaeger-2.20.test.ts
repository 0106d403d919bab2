import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertReadable } from '../helpers.js';
import { ingest, startStore, type Backend } from './backends.js';
import { CONFORMANCE_DIR, loadCorpus } from './corpus.js';
import { BIG_TRACE_SPANS, traceIdOf } from './synthetic.js';

/**
 * What Jaeger 2.20 answers where 2.12, the pinned Jaeger the differential
 * suite runs, cannot show it: camelCase api_v3 parameters (snake_case kept as
 * aliases), base64 trace ids, a 400 for a search without a time range, a
 * default search depth of 100, trace summaries with orphanSpanCount. The
 * requests are the kinds Jaeger UI 2.20 sends, kept in
 * jaeger-2.20-requests.json; the expectations follow Jaeger 2.20's gateway
 * and query service. The last few are v1 requests 2.12 answers the same way,
 * kept here as the UI's own.
 */
const { requests } = JSON.parse(fs.readFileSync(path.join(CONFORMANCE_DIR, 'jaeger-2.20-requests.json'), 'utf8')) as {
  requests: Record<string, string>;
};

let store: Backend;
beforeAll(async () => {
  store = await startStore();
  await ingest(store, loadCorpus(), 'json');
}, 60_000);
afterAll(() => store.close());

type Json = Record<string, unknown>;

async function send(name: string): Promise<{ status: number; body: Json; text: string }> {
  const request = requests[name];
  if (!request) throw new Error(`no request named ${name} in jaeger-2.20-requests.json`);
  const [method, target] = request.split(' ');
  const res = await fetch(`${store.queryUrl}${target}`, { method });
  const text = await res.text();
  const body = JSON.parse(text) as Json;
  assertReadable(request, res.status, body);
  return { status: res.status, body, text };
}

const list = (v: unknown): Json[] => (Array.isArray(v) ? (v as Json[]) : []);
const spansOf = (body: Json): Json[] =>
  list((body.result as Json | undefined)?.resourceSpans).flatMap((rs) => list(rs.scopeSpans).flatMap((ss) => list(ss.spans)));
const traceIdsOf = (body: Json): string[] => [...new Set(spansOf(body).map((s) => s.traceId as string))].sort();
const summaryIds = (body: Json) => (body.summaries as Json[]).map((s) => s.traceId as string).sort();
const searchIds = (...keys: string[]) => keys.map((k) => traceIdOf(`search-${k}`)).sort();

describe('api_v3 as Jaeger UI 2.20 reads it', () => {
  it('lists services and operations, spanKind filtering (span_kind still works)', async () => {
    expect((await send('services')).body.services).toContain('conf-search-a');
    expect((await send('span-names')).body.operations).toHaveLength(6);
    expect((await send('span-names-of-a-kind')).body).toEqual({ operations: [{ name: 'kind server', spanKind: 'server' }] });
    expect((await send('span-names-of-a-kind-snake-case')).body).toEqual({ operations: [{ name: 'kind client', spanKind: 'client' }] });
  });

  it('searches trace summaries with camelCase parameters', async () => {
    const { status, body } = await send('search');
    expect(status).toBe(200);
    // conf-search-a is in s1, s2, s3, s5, s6, s8 and (as a callee) s7.
    expect(summaryIds(body)).toEqual(searchIds('s1', 's2', 's3', 's5', 's6', 's7', 's8'));
    expect(summaryIds((await send('search-operation')).body)).toEqual(searchIds('s1', 's2', 's5', 's8'));
    expect(summaryIds((await send('search-attributes')).body)).toEqual(searchIds('s2'));
    // 5 ms to 1.5 s: roots of s2, s3, s5, s8, and s7's 250 ms call into conf-search-a.
    expect(summaryIds((await send('search-durations')).body)).toEqual(searchIds('s2', 's3', 's5', 's7', 's8'));
    expect((await send('search-depth')).body.summaries).toHaveLength(2);
  });

  it('summarises a trace as Jaeger 2.20 does: root, orphans, services', async () => {
    const { body } = await send('search-orphans');
    const byId = new Map((body.summaries as Json[]).map((s) => [s.traceId as string, s]));
    expect(byId.get(traceIdOf('orphans-with-root'))).toEqual({
      traceId: traceIdOf('orphans-with-root'),
      rootServiceName: 'conf-orphans',
      rootOperationName: 'root',
      minStartTimeUnixNano: '1704067679990000000',
      maxEndTimeUnixNano: '1704067680100000000',
      spanCount: 3,
      errorSpanCount: 0,
      orphanSpanCount: 1,
      services: [{ name: 'conf-orphans', spanCount: 3, errorSpanCount: 0 }],
    });
    // No parentless span: no root, whatever the orphan is.
    expect(byId.get(traceIdOf('orphans-only'))).toMatchObject({ rootServiceName: '', rootOperationName: '', orphanSpanCount: 1, spanCount: 1 });
    // The earliest of two parentless spans is the root.
    expect(byId.get(traceIdOf('orphans-two-roots'))).toMatchObject({ rootOperationName: 'early root', orphanSpanCount: 0 });
  });

  it('counts errors per service in a summary', async () => {
    const { body } = await send('search');
    const s7 = (body.summaries as Json[]).find((s) => s.traceId === traceIdOf('search-s7'));
    expect(s7).toMatchObject({
      rootServiceName: 'conf-search-b',
      rootOperationName: 'POST /items',
      spanCount: 3,
      errorSpanCount: 1,
      services: [
        { name: 'conf-search-a', spanCount: 1, errorSpanCount: 0 },
        { name: 'conf-search-b', spanCount: 2, errorSpanCount: 1 },
      ],
    });
  });

  it('answers 400 for a search without a full time range, in the spelling of the request', async () => {
    for (const name of ['search-no-time-range', 'search-no-end', 'search-traces-no-time-range']) {
      expect(await send(name), name).toMatchObject({ status: 400, body: { error: { httpCode: 400, message: 'query.startTimeMin and query.startTimeMax are required' } } });
    }
    expect(await send('search-malformed-camel-case-time')).toMatchObject({
      status: 400,
      body: { error: { message: expect.stringMatching(/^malformed parameter query\.startTimeMin: parsing time "yesterday"/) } },
    });
  });

  it('finds traces with camelCase parameters, the canonical name winning over its alias', async () => {
    expect(traceIdsOf((await send('search-traces-camel-case')).body)).toEqual(searchIds('s3', 's4', 's5', 's7'));
    expect(traceIdsOf((await send('search-camel-case-wins')).body)).toEqual(searchIds('s3', 's4', 's5', 's7'));
  });

  it('searches 100 traces deep when no depth is given', async () => {
    const { status, body } = await send('search-traces-default-depth');
    expect(status).toBe(200);
    expect(traceIdsOf(body)).toEqual([traceIdOf('big')]);
    expect(spansOf(body)).toHaveLength(BIG_TRACE_SPANS);
  });

  it('reads a trace id in hex or base64 (standard or URL alphabet, padded or not)', async () => {
    const hex = await send('trace-hex');
    expect(hex.status).toBe(200);
    expect(traceIdsOf(hex.body)).toEqual([traceIdOf('orphans-only')]);
    expect(await send('trace-base64')).toEqual(hex);
    expect(await send('trace-base64-url-alphabet-unpadded')).toEqual(hex);
  });

  it('takes rawTraces and startTime in camelCase', async () => {
    const raw = await send('trace-raw-camel-case');
    // Raw: the duplicate spans are still there (3 copies of two spans plus one).
    expect(spansOf(raw.body)).toHaveLength(5);
    expect(await send('trace-malformed-camel-case-time')).toMatchObject({
      status: 400,
      body: { error: { message: 'malformed parameter startTime: parsing time "2024" as "2006-01-02T15:04:05.999999999Z07:00": cannot parse "" as "-"' } },
    });
  });
});

describe('v1 as Jaeger UI reads it', () => {
  it('lists an unknown id of a comparison in errors, as Jaeger writes the id', async () => {
    const { status, body } = await send('compare-with-unknown-trace');
    expect(status).toBe(200);
    expect((body.data as Json[]).map((t) => t.traceID)).toEqual([traceIdOf('orphans-with-root')]);
    expect(body.errors).toEqual([{ msg: 'trace not found', traceID: '000000000000abcd' }]);
  });

  it('answers raw=true with the trace as stored, duplicates and all', async () => {
    const { body } = await send('trace-raw');
    expect((body.data as Json[])[0]?.spans).toHaveLength(5);
  });

  it('indents the answer by four spaces for prettyPrint', async () => {
    const { text, body } = await send('trace-pretty-print');
    expect(text.startsWith('{\n    "data": [\n        {\n            "traceID"')).toBe(true);
    expect(JSON.parse(text)).toEqual(body);
  });
});
