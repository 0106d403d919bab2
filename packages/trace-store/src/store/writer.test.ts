import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { prepareLogs, prepareSpans } from '../ingest/prepare.js';
import type { LogRecord, ResourceLogs, ResourceSpans, Span } from '../otlp/model.js';
import { StoreReader } from './reader.js';
import { StoreWriter, type IngestBatch } from './writer.js';

const HOUR_US = 3600e6;

function request(service: string, traceIds: string[]): ResourceSpans[] {
  const spans = traceIds.map(
    (traceId, i): Span => ({
      traceId,
      spanId: (i + 1).toString(16).padStart(16, '0'),
      parentSpanId: '',
      traceState: '',
      flags: 1,
      name: `op-${service}`,
      kind: 2,
      startTimeUnixNano: '1700000000000000000',
      endTimeUnixNano: '1700000000001000000',
      attributes: [{ key: 'n', value: { intValue: String(i) } }],
      droppedAttributesCount: 0,
      events: [],
      droppedEventsCount: 0,
      links: [],
      droppedLinksCount: 0,
      status: { code: 0, message: '' },
    }),
  );
  return [
    {
      resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }], droppedAttributesCount: 0 },
      schemaUrl: '',
      scopeSpans: [{ scope: { name: 's', version: '', attributes: [], droppedAttributesCount: 0 }, schemaUrl: '', spans }],
    },
  ];
}

function logsRequest(service: string, traceIds: string[]): ResourceLogs[] {
  const logRecords = traceIds.map(
    (traceId, i): LogRecord => ({
      timeUnixNano: '1700000000000000000',
      observedTimeUnixNano: '0',
      severityNumber: 9,
      severityText: 'INFO',
      body: { stringValue: `log ${i}` },
      attributes: [],
      droppedAttributesCount: 0,
      flags: 0,
      traceId,
      spanId: '',
      eventName: '',
    }),
  );
  return [
    {
      resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }], droppedAttributesCount: 0 },
      schemaUrl: '',
      scopeLogs: [{ scope: { name: 's', version: '', attributes: [], droppedAttributesCount: 0 }, schemaUrl: '', logRecords }],
    },
  ];
}

/** The model is OTLP/JSON's shape, so an export in it is a JSON body as the receiver gets one. */
const spansOf = (request: ResourceSpans[]) => prepareSpans(Buffer.from(JSON.stringify({ resourceSpans: request })), 'json');
const logsOf = (request: ResourceLogs[]) => prepareLogs(Buffer.from(JSON.stringify({ resourceLogs: request })), 'json');

/** A writer and a reader on a fresh file, as the writer thread and the main thread hold them. */
function openStore() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tracelens-writer-'));
  dirs.push(dir);
  const file = path.join(dir, 'traces.db');
  const writer = new StoreWriter(file, { temporary: true });
  const reader = new StoreReader(file);
  return {
    writer,
    reader,
    insert: (request: ResourceSpans[], receivedUs: number) => writer.write({ spans: [spansOf(request)], logs: [] }, receivedUs),
    write: (batch: { spans: ResourceSpans[][]; logs: ResourceLogs[][] }, receivedUs: number) =>
      writer.write({ spans: batch.spans.map(spansOf), logs: batch.logs.map(logsOf) } satisfies IngestBatch, receivedUs),
    close: () => {
      reader.close();
      writer.close();
    },
  };
}

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

const ids = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => `${prefix}${i.toString(16).padStart(32 - prefix.length, '0')}`);

describe('retention', () => {
  it('keeps at most maxSpans, deleting the oldest in bounded chunks', () => {
    const store = openStore();
    store.insert(request('old', ids(30, 'a')), 0);
    store.insert(request('new', ids(20, 'b')), 0);
    const policy = { maxAgeUs: 0, maxSpans: 20 };
    expect(store.writer.enforceRetention(policy, 0, 12)).toBe(12);
    expect(store.reader.spanCount()).toBe(38);
    expect(store.writer.enforceRetention(policy, 0, 12)).toBe(12);
    expect(store.writer.enforceRetention(policy, 0, 12)).toBe(6);
    expect(store.writer.enforceRetention(policy, 0, 12)).toBe(0);
    expect(store.reader.spanCount()).toBe(20);
    // Whole traces of the older service are gone, and so is the service.
    expect(store.reader.services()).toEqual(['new']);
    expect(store.reader.findTraceIds({ tags: { n: '3' }, limit: 10 })).toEqual([ids(20, 'b')[3]]);
    store.close();
  });

  it('deletes what was ingested longer ago than maxAge', () => {
    const store = openStore();
    store.insert(request('old', ids(5, 'a')), 1 * HOUR_US);
    store.insert(request('new', ids(5, 'b')), 5 * HOUR_US);
    const policy = { maxAgeUs: 2 * HOUR_US, maxSpans: 0 };
    expect(store.writer.enforceRetention(policy, 4 * HOUR_US, 100)).toBe(5);
    expect(store.reader.getTrace(ids(5, 'a')[0] as string)).toBeUndefined();
    expect(store.reader.getTrace(ids(5, 'b')[0] as string)?.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans))).toHaveLength(1);
    expect(store.writer.enforceRetention(policy, 8 * HOUR_US, 100)).toBe(5);
    expect(store.reader.spanCount()).toBe(0);
    expect(store.reader.services()).toEqual([]);
    store.close();
  });

  it('applies the count limit to log records separately, in bounded chunks', () => {
    const store = openStore();
    store.write({ spans: [request('s', ids(3, 'c'))], logs: [logsRequest('old', ids(30, 'a'))] }, 0);
    store.write({ spans: [], logs: [logsRequest('new', ids(20, 'b'))] }, 0);
    const policy = { maxAgeUs: 0, maxSpans: 20 };
    expect(store.writer.enforceRetention(policy, 0, 12)).toBe(12);
    expect(store.reader.logCount()).toBe(38);
    expect(store.writer.enforceRetention(policy, 0, 12)).toBe(12);
    expect(store.writer.enforceRetention(policy, 0, 12)).toBe(6);
    expect(store.writer.enforceRetention(policy, 0, 12)).toBe(0);
    expect(store.reader.logCount()).toBe(20);
    expect(store.reader.spanCount()).toBe(3);
    expect(store.reader.traceLogs(ids(30, 'a')[29] as string)).toEqual([]);
    expect(store.reader.traceLogs(ids(20, 'b')[0] as string).map((l) => l.service)).toEqual(['new']);
    store.close();
  });

  it('deletes log records received longer ago than maxAge, with the spans of that time', () => {
    const store = openStore();
    const [oldTrace, newTrace] = ids(2, 'd') as [string, string];
    store.write({ spans: [request('old', [oldTrace])], logs: [logsRequest('old', [oldTrace, oldTrace])] }, 1 * HOUR_US);
    store.write({ spans: [request('new', [newTrace])], logs: [logsRequest('new', [newTrace])] }, 5 * HOUR_US);
    const policy = { maxAgeUs: 2 * HOUR_US, maxSpans: 0 };
    // The record's own time (2023) is irrelevant: age is by time received.
    expect(store.writer.enforceRetention(policy, 4 * HOUR_US, 100)).toBe(2);
    expect(store.reader.traceLogs(oldTrace)).toEqual([]);
    expect(store.reader.getTrace(oldTrace)).toBeUndefined();
    expect(store.reader.traceLogs(newTrace)).toHaveLength(1);
    expect(store.writer.enforceRetention(policy, 8 * HOUR_US, 100)).toBe(1);
    expect(store.reader.logCount()).toBe(0);
    store.close();
  });

  it('never reuses the rows of deleted newest spans, so age retention keeps newer spans', () => {
    const store = openStore();
    const [a, b, c] = ids(3, 'e') as [string, string, string];
    store.insert(request('s', [a]), 1 * HOUR_US);
    store.insert(request('s', [b]), 2 * HOUR_US);
    // As the tail sampler does: the newest trace goes.
    expect(store.writer.deleteTraces([b])).toBe(1);
    store.insert(request('s', [c]), 9 * HOUR_US);
    // Rows up to b's ingest are older than 3 h at 6 h; c, received later, must survive.
    expect(store.writer.enforceRetention({ maxAgeUs: 3 * HOUR_US, maxSpans: 0 }, 6 * HOUR_US, 100)).toBe(1);
    expect(store.reader.getTrace(a)).toBeUndefined();
    expect(store.reader.getTrace(c)?.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans))).toHaveLength(1);
    store.close();
  });
});
