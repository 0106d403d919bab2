import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { prepareSpans } from '../ingest/prepare.js';
import type { KeyValue, ResourceSpans, Span } from '../otlp/model.js';
import { StoreReader, type TraceQuery } from './reader.js';
import { StoreWriter } from './writer.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function openStore() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tracelens-reader-'));
  dirs.push(dir);
  const file = path.join(dir, 'traces.db');
  const writer = new StoreWriter(file, { temporary: true });
  const reader = new StoreReader(file);
  return { writer, reader, close: () => (reader.close(), writer.close()) };
}

/** A small deterministic random source, so a failure can be replayed. */
function random(seed: number) {
  let s = seed >>> 0;
  const next = () => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return s / 2 ** 32;
  };
  return { next, int: (n: number) => Math.floor(next() * n), pick: <T>(list: readonly T[]) => list[Math.floor(next() * list.length)] as T };
}

const hex = (n: number, digits: number) => n.toString(16).padStart(digits, '0');
const BASE_NS = 1_700_000_000_000_000_000n;
const SERVICES = ['web', 'api', 'db'];
const NAMES = ['GET /a', 'GET /b', 'POST /c', 'query'];

interface Exported {
  service: string;
  resource: KeyValue[];
  span: Span;
}

/** What a store must find, worked out span by span the slow way: the traces with a span matching every condition, latest first. */
function bruteForce(spans: readonly Exported[], q: TraceQuery): string[] {
  const best = new Map<string, bigint>();
  for (const { service, resource, span } of spans) {
    if (q.service !== undefined && service !== q.service) continue;
    if (q.operation !== undefined && span.name !== q.operation) continue;
    const start = BigInt(span.startTimeUnixNano);
    const duration = BigInt(span.endTimeUnixNano) - start;
    if (q.startMinNs !== undefined && start < q.startMinNs) continue;
    if (q.startMaxNs !== undefined && start > q.startMaxNs) continue;
    if (q.durationMinNs && duration < q.durationMinNs) continue;
    if (q.durationMaxNs && duration > q.durationMaxNs) continue;
    const tags = new Map<string, Set<string>>();
    for (const kv of [...span.attributes, ...resource]) {
      const text = 'stringValue' in kv.value ? kv.value.stringValue : 'intValue' in kv.value ? kv.value.intValue : '';
      tags.set(kv.key, (tags.get(kv.key) ?? new Set()).add(text));
    }
    if (span.status.code === 2) tags.set('error', new Set(['true']));
    if (!Object.entries(q.tags).every(([k, v]) => tags.get(k)?.has(v))) continue;
    const known = best.get(span.traceId);
    if (known === undefined || start > known) best.set(span.traceId, start);
  }
  return [...best].sort((a, b) => (a[1] > b[1] ? -1 : 1)).slice(0, q.limit).map(([id]) => id);
}

describe('trace search', () => {
  it('finds exactly the traces a span-by-span scan finds, latest matching span first, across many blocks', () => {
    const rand = random(42);
    const store = openStore();
    const all: Exported[] = [];
    let startCounter = 0;
    // 300 exports of 1 to 12 spans, each of a random service, of 120 traces spread over them; start times
    // unique (so the order is defined) and not in arrival order.
    for (let e = 0; e < 300; e++) {
      const service = rand.pick(SERVICES);
      const resource: KeyValue[] = [
        { key: 'service.name', value: { stringValue: service } },
        { key: 'host.name', value: { stringValue: `${service}-${rand.int(3)}` } },
      ];
      const spans: Span[] = [];
      for (let i = rand.int(12) + 1; i > 0; i--) {
        const start = BASE_NS + BigInt(rand.int(1_000_000)) * 1_000_000n + BigInt(startCounter++);
        const span: Span = {
          traceId: hex(rand.int(120) + 1, 32),
          spanId: hex(all.length + spans.length + 1, 16),
          parentSpanId: '',
          traceState: '',
          flags: 0,
          name: rand.pick(NAMES),
          kind: 2,
          startTimeUnixNano: start.toString(),
          endTimeUnixNano: (start + BigInt(rand.int(5000) + 1) * 1000n).toString(),
          attributes: [
            { key: 'user', value: { stringValue: `u${rand.int(40)}` } },
            { key: 'order', value: { stringValue: `o${rand.int(5000)}` } },
            { key: 'code', value: { intValue: String(rand.pick([200, 200, 200, 404, 500])) } },
          ],
          droppedAttributesCount: 0,
          events: [],
          droppedEventsCount: 0,
          links: [],
          droppedLinksCount: 0,
          status: { code: rand.int(20) === 0 ? 2 : 0, message: '' },
        };
        spans.push(span);
        all.push({ service, resource, span });
      }
      const request: ResourceSpans[] = [{ resource: { attributes: resource, droppedAttributesCount: 0 }, schemaUrl: '', scopeSpans: [{ scope: { name: '', version: '', attributes: [], droppedAttributesCount: 0 }, schemaUrl: '', spans }] }];
      store.writer.write({ spans: [prepareSpans(Buffer.from(JSON.stringify({ resourceSpans: request })), 'json')], logs: [] }, e);
    }
    for (let n = 0; n < 400; n++) {
      const q: TraceQuery = { tags: {}, limit: rand.pick([1, 5, 20, 1000]) };
      if (rand.int(10) > 0) q.service = rand.pick(SERVICES);
      if (rand.int(3) === 0) q.operation = rand.pick(NAMES);
      const tagKind = rand.int(6);
      if (tagKind === 0) q.tags.user = `u${rand.int(40)}`;
      if (tagKind === 1) q.tags.order = ((all[rand.int(all.length)] as Exported).span.attributes[1]?.value as { stringValue: string }).stringValue;
      if (tagKind === 2) q.tags.code = rand.pick(['404', '500']);
      if (tagKind === 3) q.tags.error = 'true';
      if (tagKind === 4) q.tags['host.name'] = `${rand.pick(SERVICES)}-${rand.int(3)}`;
      if (rand.int(3) === 0) {
        const a = BASE_NS + BigInt(rand.int(1_000_000)) * 1_000_000n;
        const b = BASE_NS + BigInt(rand.int(1_000_000)) * 1_000_000n;
        [q.startMinNs, q.startMaxNs] = a < b ? [a, b] : [b, a];
      }
      if (rand.int(4) === 0) q.durationMinNs = BigInt(rand.int(4000)) * 1000n;
      if (rand.int(4) === 0) q.durationMaxNs = BigInt(rand.int(4000) + 1000) * 1000n;
      expect(store.reader.findTraceIds(q), JSON.stringify(q, (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))).toEqual(bruteForce(all, q));
    }
    store.close();
  });

  it('requires every condition of one span: a trace with the tag on one span and the operation on another does not match', () => {
    const store = openStore();
    const span = (spanId: string, name: string, attributes: KeyValue[]): Span => ({
      traceId: 'a'.repeat(32),
      spanId,
      parentSpanId: '',
      traceState: '',
      flags: 0,
      name,
      kind: 1,
      startTimeUnixNano: '1700000000000000000',
      endTimeUnixNano: '1700000000001000000',
      attributes,
      droppedAttributesCount: 0,
      events: [],
      droppedEventsCount: 0,
      links: [],
      droppedLinksCount: 0,
      status: { code: 0, message: '' },
    });
    const request = {
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 's' } }] },
          scopeSpans: [{ spans: [span('1'.repeat(16), 'load', []), span('2'.repeat(16), 'save', [{ key: 'table', value: { stringValue: 'orders' } }])] }],
        },
      ],
    };
    store.writer.write({ spans: [prepareSpans(Buffer.from(JSON.stringify(request)), 'json')], logs: [] }, 0);
    expect(store.reader.findTraceIds({ service: 's', operation: 'save', tags: { table: 'orders' }, limit: 10 })).toEqual(['a'.repeat(32)]);
    expect(store.reader.findTraceIds({ service: 's', operation: 'load', tags: { table: 'orders' }, limit: 10 })).toEqual([]);
    // Longer than any searchable value: stored, never matched.
    expect(store.reader.findTraceIds({ service: 's', tags: { table: 'x'.repeat(1025) }, limit: 10 })).toEqual([]);
    store.close();
  });

  it('no longer finds what the tail sampler deleted, and retention takes blocks and their directories with the chunks', () => {
    const store = openStore();
    const ids = Array.from({ length: 40 }, (_, i) => hex(i + 1, 32));
    for (const [i, traceId] of ids.entries()) {
      const request = {
        resourceSpans: [
          {
            resource: { attributes: [{ key: 'service.name', value: { stringValue: 's' } }] },
            scopeSpans: [{ spans: [{ traceId, spanId: hex(i + 1, 16), name: 'op', startTimeUnixNano: String(BASE_NS + BigInt(i)), endTimeUnixNano: String(BASE_NS + BigInt(i) + 10n) }] }],
          },
        ],
      };
      store.writer.write({ spans: [prepareSpans(Buffer.from(JSON.stringify(request)), 'json')], logs: [] }, i);
    }
    expect(store.reader.findTraceIds({ service: 's', tags: {}, limit: 3 })).toEqual([ids[39], ids[38], ids[37]]);
    expect(store.writer.deleteTraces([ids[39] as string, ids[37] as string])).toBe(2);
    expect(store.reader.findTraceIds({ service: 's', tags: {}, limit: 3 })).toEqual([ids[38], ids[36], ids[35]]);
    // Positions 36..40 are the newest five; 38 and 40 are gone already, so three spans stay.
    expect(store.writer.enforceRetention({ maxAgeUs: 0, maxSpans: 5 }, 0, 1000)).toBe(35);
    expect(store.reader.findTraceIds({ service: 's', tags: {}, limit: 100 })).toEqual([ids[38], ids[36], ids[35]]);
    expect(store.reader.spanCount()).toBe(3);
    store.close();
  });
});
