/* eslint-disable @typescript-eslint/no-explicit-any -- answers are checked against @tracelens/jaeger-query's schemas (helpers.ts getJson), then read untyped: each test asserts on the fields it names */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ExportLogsServiceRequest, ExportLogsServiceResponse, RpcStatus } from '../src/otlp/proto.js';
import { startCollector, type RunningCollector } from '../src/index.js';
import {
  errorMessage,
  getJson,
  memoryCollector,
  otlpLogRecord,
  otlpLogsRequest,
  otlpRequest,
  otlpSpan,
  postJson,
  postLogsJson,
} from './helpers.js';

const MAX_BODY = 64 * 1024;
const STORED_TRACE = '5b8efff798038103d269b633813fc60c';

describe('bad input', () => {
  let collector: RunningCollector;
  let before: unknown;

  beforeEach(async () => {
    collector = await memoryCollector({ maxBodyBytes: MAX_BODY });
    expect((await postJson(collector, otlpRequest('shop', [otlpSpan()]))).status).toBe(200);
    before = (await getJson(collector, `/api/traces/${STORED_TRACE}`)).body;
  });
  afterEach(async () => {
    // Whatever was refused, what was stored before is untouched.
    expect((await getJson(collector, `/api/traces/${STORED_TRACE}`)).body).toEqual(before);
    expect(collector.store.spanCount()).toBe(1);
    await collector.close();
  });

  const post = (body: string | Buffer, headers: Record<string, string>) =>
    fetch(`${collector.otlpUrl}/v1/traces`, { method: 'POST', headers, body });

  it('answers 400 naming the problem for malformed JSON', async () => {
    const res = await post('{"resourceSpans": [', { 'Content-Type': 'application/json' });
    expect(res.status).toBe(400);
    expect(await errorMessage(res)).toMatch(/^body is not valid JSON/);
  });

  it('answers 400 with the JSON path of a wrongly typed field', async () => {
    const bad = otlpRequest('shop', [otlpSpan({ startTimeUnixNano: 'yesterday' })]);
    const res = await postJson(collector, bad);
    expect(res.status).toBe(400);
    expect(await errorMessage(res)).toBe(
      '$.resourceSpans[0].scopeSpans[0].spans[0].startTimeUnixNano: expected an unsigned 64-bit integer (string or number), got "yesterday"',
    );
  });

  it('answers 400 with a protobuf google.rpc.Status for a malformed protobuf body', async () => {
    const res = await post(Buffer.from([0x0a, 0xff, 0xff, 0xff, 0x0f, 0x01]), { 'Content-Type': 'application/x-protobuf' });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/x-protobuf');
    const status = RpcStatus.decode(new Uint8Array(await res.arrayBuffer())) as unknown as { code: number; message: string };
    expect(status.code).toBe(3);
    expect(status.message).toMatch(/^body is not a protobuf ExportTraceServiceRequest/);
  });

  it('answers 400 for a corrupt gzip body', async () => {
    const res = await post(Buffer.from('not gzip'), { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' });
    expect(res.status).toBe(400);
    expect(await errorMessage(res)).toMatch(/^body is not valid gzip data/);
  });

  it('answers 413 for a declared length over the limit', async () => {
    const res = await post('x'.repeat(MAX_BODY + 1), { 'Content-Type': 'application/json' });
    expect(res.status).toBe(413);
    expect(await errorMessage(res)).toBe(`request body is larger than the limit of ${MAX_BODY} bytes (see --max-body)`);
  });

  it('answers 413 for a chunked body that grows over the limit', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request(`${collector.otlpUrl}/v1/traces`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' },
      });
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      for (let i = 0; i < 4; i++) req.write('x'.repeat(MAX_BODY / 2));
      req.end();
    });
    expect(status).toBe(413);
  });

  it('answers 413 for a small gzip body that inflates over the limit', async () => {
    const bomb = zlib.gzipSync(Buffer.alloc(MAX_BODY * 20, 0x20));
    expect(bomb.length).toBeLessThan(MAX_BODY);
    const res = await post(bomb, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' });
    expect(res.status).toBe(413);
  });

  it('answers 415 for other content types and encodings', async () => {
    const text = await post('hello', { 'Content-Type': 'text/plain' });
    expect(text.status).toBe(415);
    // The OpenTelemetry collector's (Jaeger's receiver's) words.
    expect(await text.text()).toBe('415 unsupported media type, supported: [application/json, application/x-protobuf]');
    const brotli = await post('hello', { 'Content-Type': 'application/json', 'Content-Encoding': 'br' });
    expect(brotli.status).toBe(415);
    expect(await errorMessage(brotli)).toMatch(/unsupported Content-Encoding "br"/);
  });

  it('answers 405 with Allow for other methods, 404 for other paths', async () => {
    const get = await fetch(`${collector.otlpUrl}/v1/traces`);
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST, OPTIONS');
    expect(await get.text()).toBe('405 method not allowed, supported: [POST]');
    const other = await fetch(`${collector.otlpUrl}/v1/metrics`, { method: 'POST' });
    expect(other.status).toBe(404);
    expect(await other.text()).toBe('404 page not found\n');
  });

  // The words are Jaeger 2.12's (the conformance suite holds them to it);
  // these only check the envelopes.
  it('answers query errors in the envelope of each API version', async () => {
    const v1 = await getJson(collector, '/api/traces?service=shop&minDuration=soon');
    expect(v1.status).toBe(400);
    expect(v1.body).toEqual({
      data: null,
      total: 0,
      limit: 0,
      offset: 0,
      errors: [{ code: 400, msg: `unable to parse param 'minDuration': time: invalid duration "soon"` }],
    });
    expect((await getJson(collector, '/api/traces')).body.errors[0].msg).toBe("parameter 'service' is required");
    expect((await getJson(collector, '/api/traces/not-hex')).status).toBe(400);
    // Jaeger reads a service name that does not unescape as none (200, no
    // operations); the store says what is wrong (see "Differences from Jaeger").
    const badEscape = await getJson(collector, '/api/services/sh%zzop/operations');
    expect(badEscape.status).toBe(400);
    expect(badEscape.body.errors).toEqual([{ code: 400, msg: 'malformed %-escape in the path segment "sh%zzop"' }]);
    expect((await getJson(collector, '/api/v3/traces/ab%zz')).status).toBe(400);
    // Jaeger finds nothing for a negative duration, and answers 500 for a
    // limit its storage cannot serve; the store names the parameter (400).
    const negative = await getJson(collector, '/api/traces?service=shop&minDuration=-5ms');
    expect(negative.status).toBe(400);
    expect(negative.body.errors[0].msg).toBe(`'minDuration' must not be negative, got "-5ms"`);
    const zero = await getJson(collector, '/api/traces?service=shop&limit=0');
    expect(zero.status).toBe(400);
    expect(zero.body.errors[0].msg).toBe("'limit' must be from 1 to 100000, got 0");
    const missing = await getJson(collector, '/api/traces/0123456789abcdef0123456789abcdef');
    expect(missing.status).toBe(404);
    expect(missing.body.errors).toEqual([{ code: 404, msg: 'trace not found' }]);
    const v3 = await getJson(collector, '/api/v3/traces?query.service_name=shop&query.start_time_min=yesterday&query.start_time_max=2024-01-01T00:00:00Z');
    expect(v3.status).toBe(400);
    expect(v3.body.error.message).toMatch(/^malformed parameter query.start_time_min: parsing time "yesterday"/);
    expect((await getJson(collector, '/api/v3/traces/0123456789abcdef0123456789abcdef')).body).toEqual({
      error: { httpCode: 404, message: 'No traces found' },
    });
  });
});

describe('partial success', () => {
  it('stores the valid spans and reports the invalid ones in partialSuccess', async () => {
    const traceId = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
    const collector = await memoryCollector();
    const res = await postJson(
      collector,
      otlpRequest('shop', [
        otlpSpan({ traceId, spanId: 'bbbbbbbbbbbbbbbb' }),
        otlpSpan({ traceId, spanId: '0000000000000000' }),
        otlpSpan({ traceId: '00000000000000000000000000000000' }),
        otlpSpan({ traceId, spanId: 'cccccccccccccccc', startTimeUnixNano: '0' }),
      ]),
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      partialSuccess: {
        rejectedSpans: '3',
        errorMessage:
          'rejected 3 of 4 spans: 1 span: invalid spanId "0000000000000000": must be 16 hex digits, not all zero; ' +
          '1 span: invalid traceId "00000000000000000000000000000000": must be 32 hex digits, not all zero; ' +
          '1 span: missing startTimeUnixNano',
      },
    });
    const stored = await getJson(collector, `/api/traces/${traceId}`);
    expect(stored.body.data[0].spans.map((s: any) => s.spanID)).toEqual(['bbbbbbbbbbbbbbbb']);
    await collector.close();
  });

  it('refuses a request whose ids have the wrong length, as Jaeger does', async () => {
    const collector = await memoryCollector();
    const res = await postJson(collector, otlpRequest('shop', [otlpSpan({ spanId: 'short' })]));
    expect(res.status).toBe(400);
    expect(await errorMessage(res)).toBe('$.resourceSpans[0].scopeSpans[0].spans[0].spanId: expected 16 hex digits, got "short"');
    await collector.close();
  });

  it('stores a span that ends before it starts as ending 1 ns after, with Jaeger\'s warning', async () => {
    const collector = await memoryCollector();
    await postJson(collector, otlpRequest('shop', [otlpSpan({ startTimeUnixNano: '1704067200000000000', endTimeUnixNano: '1' })]));
    const { body } = await getJson(collector, `/api/traces/${otlpSpan().traceId}`);
    expect(body.data[0].spans[0]).toMatchObject({
      duration: 0,
      warnings: [
        'Negative duration detected, sanitizing end timestamp. Original end timestamp: 1970-01-01 00:00:00.000000001 +0000 UTC, adjusted to: 2024-01-01 00:00:00.000000001 +0000 UTC',
      ],
    });
    await collector.close();
  });
});

describe('bad input on /v1/logs', () => {
  let collector: RunningCollector;
  let before: unknown;

  beforeEach(async () => {
    collector = await memoryCollector({ maxBodyBytes: MAX_BODY, corsOrigins: ['http://localhost:*'] });
    expect((await postLogsJson(collector, otlpLogsRequest('shop', [otlpLogRecord({ traceId: STORED_TRACE })]))).status).toBe(200);
    before = (await getJson(collector, `/api/traces/${STORED_TRACE}/logs`)).body;
  });
  afterEach(async () => {
    expect((await getJson(collector, `/api/traces/${STORED_TRACE}/logs`)).body).toEqual(before);
    expect(collector.store.logCount()).toBe(1);
    expect(collector.store.spanCount()).toBe(0);
    await collector.close();
  });

  const post = (body: string | Buffer, headers: Record<string, string>) =>
    fetch(`${collector.otlpUrl}/v1/logs`, { method: 'POST', headers, body });

  it('answers 400 naming the problem for malformed JSON and wrongly typed fields', async () => {
    const broken = await post('{"resourceLogs": [', { 'Content-Type': 'application/json' });
    expect(broken.status).toBe(400);
    expect(await errorMessage(broken)).toMatch(/^body is not valid JSON/);
    const typed = await postLogsJson(collector, otlpLogsRequest('shop', [otlpLogRecord({ timeUnixNano: 'yesterday' })]));
    expect(typed.status).toBe(400);
    expect(await errorMessage(typed)).toBe(
      '$.resourceLogs[0].scopeLogs[0].logRecords[0].timeUnixNano: expected an unsigned 64-bit integer (string or number), got "yesterday"',
    );
    const severity = await postLogsJson(collector, otlpLogsRequest('shop', [otlpLogRecord({ severityNumber: 'LOUD' })]));
    expect(severity.status).toBe(400);
    expect(await errorMessage(severity)).toMatch(/logRecords\[0\]\.severityNumber: expected an enum integer or one of SEVERITY_NUMBER_UNSPECIFIED, SEVERITY_NUMBER_TRACE,/);
  });

  it('answers 400 with a protobuf google.rpc.Status for a malformed protobuf body', async () => {
    const res = await post(Buffer.from([0x0a, 0xff, 0xff, 0xff, 0x0f, 0x01]), { 'Content-Type': 'application/x-protobuf' });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/x-protobuf');
    const status = RpcStatus.decode(new Uint8Array(await res.arrayBuffer())) as unknown as { code: number; message: string };
    expect(status).toMatchObject({ code: 3, message: expect.stringMatching(/^body is not a protobuf ExportLogsServiceRequest/) });
  });

  it('answers 413 over the body limit, also after gunzip', async () => {
    const big = await post('x'.repeat(MAX_BODY + 1), { 'Content-Type': 'application/json' });
    expect(big.status).toBe(413);
    expect(await errorMessage(big)).toBe(`request body is larger than the limit of ${MAX_BODY} bytes (see --max-body)`);
    const bomb = await post(zlib.gzipSync(Buffer.alloc(MAX_BODY * 20, 0x20)), { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' });
    expect(bomb.status).toBe(413);
  });

  it('answers 415 for other content types, 405 with Allow for other methods', async () => {
    const text = await post('hello', { 'Content-Type': 'text/plain' });
    expect(text.status).toBe(415);
    expect(await text.text()).toBe('415 unsupported media type, supported: [application/json, application/x-protobuf]');
    const get = await fetch(`${collector.otlpUrl}/v1/logs`);
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST, OPTIONS');
    expect(await get.text()).toBe('405 method not allowed, supported: [POST]');
  });

  it('accepts gzip, and answers CORS as for traces', async () => {
    const preflight = await fetch(`${collector.otlpUrl}/v1/logs`, {
      method: 'OPTIONS',
      headers: { Origin: 'http://localhost:3000', 'Access-Control-Request-Method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://localhost:3000');
    const other = await fetch(`${collector.otlpUrl}/v1/logs`, { method: 'OPTIONS', headers: { Origin: 'https://evil.example.com' } });
    expect(other.status).toBe(403);
    // An empty request (nothing to store) through gzip, from an allowed origin.
    const res = await post(zlib.gzipSync('{"resourceLogs":[]}'), {
      'Content-Type': 'application/json',
      'Content-Encoding': 'gzip',
      Origin: 'http://localhost:3000',
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('http://localhost:3000');
    expect(await res.json()).toEqual({ partialSuccess: {} });
  });
});

describe('partial success on /v1/logs', () => {
  const records = [
    otlpLogRecord({ traceId: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', body: { stringValue: 'kept' } }),
    otlpLogRecord({ traceId: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', spanId: '', body: { stringValue: 'kept, no span' } }),
    otlpLogRecord({ traceId: 'short' }),
    otlpLogRecord({ spanId: '0000000000000000' }),
    otlpLogRecord({ traceId: 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb', spanId: 'cccccccccccccccccc' }),
  ];

  it('stores the valid records and reports the invalid ones (JSON)', async () => {
    const collector = await memoryCollector();
    const res = await postLogsJson(collector, otlpLogsRequest('shop', records));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      partialSuccess: {
        rejectedLogRecords: '3',
        errorMessage:
          'rejected 3 of 5 log records: 1 log record: invalid traceId "short": must be empty or 32 hex digits, not all zero; ' +
          '1 log record: invalid spanId "0000000000000000": must be empty or 16 hex digits, not all zero; ' +
          '1 log record: invalid spanId "cccccccccccccccccc": must be empty or 16 hex digits, not all zero',
      },
    });
    const stored = await getJson(collector, '/api/traces/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/logs');
    expect(stored.body.data.map((l: any) => l.body)).toEqual(['kept', 'kept, no span']);
    expect(collector.store.logCount()).toBe(2);
    await collector.close();
  });

  it('answers an ExportLogsServiceResponse in protobuf', async () => {
    const collector = await memoryCollector();
    // Encoded by protobufjs from the receiver's own schema: the real
    // exporters cannot be made to send a bad id.
    const body = ExportLogsServiceRequest.encode(
      ExportLogsServiceRequest.fromObject({
        resourceLogs: [{ scopeLogs: [{ logRecords: [{ traceId: Buffer.from('0102', 'hex'), body: { stringValue: 'bad id' } }, { body: { stringValue: 'no trace' } }] }] }],
      }),
    ).finish();
    const res = await fetch(`${collector.otlpUrl}/v1/logs`, { method: 'POST', headers: { 'Content-Type': 'application/x-protobuf' }, body });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/x-protobuf');
    const answer = ExportLogsServiceResponse.toObject(ExportLogsServiceResponse.decode(new Uint8Array(await res.arrayBuffer())), { longs: String });
    expect(answer).toEqual({
      partialSuccess: {
        rejectedLogRecords: '1',
        errorMessage: 'rejected 1 of 2 log records: 1 log record: invalid traceId "0102": must be empty or 32 hex digits, not all zero',
      },
    });
    expect(collector.store.logCount()).toBe(1);
    await collector.close();
  });
});

describe('when the store cannot commit', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tracelens-locked-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it.each([
    ['spans', '/v1/traces', otlpRequest('shop', [otlpSpan()])],
    ['log records', '/v1/logs', otlpLogsRequest('shop', [otlpLogRecord()])],
  ])('answers 503 with Retry-After for %s, acknowledging nothing', async (noun, signalPath, body) => {
    const logged: string[] = [];
    const db = path.join(dir, 'traces.db');
    const collector = await startCollector({ otlpPort: 0, queryPort: 0, db, log: { info: () => {}, error: (msg) => logged.push(msg) } });
    // Another program (a sqlite3 shell, a backup) holds the database's write lock past the writer's busy timeout.
    const other = new Database(db);
    other.exec('BEGIN IMMEDIATE');
    try {
      const res = await fetch(`${collector.otlpUrl}${signalPath}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('1');
      expect(await errorMessage(res)).toBe(`could not store ${noun}: database is locked`);
      expect(logged).toEqual([`could not store ${noun}`]);
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    // Nothing of it was stored, and the store takes the next export.
    expect(collector.store.spanCount() + collector.store.logCount()).toBe(0);
    expect((await postJson(collector, otlpRequest('shop', [otlpSpan()]))).status).toBe(200);
    expect(collector.store.spanCount()).toBe(1);
    await collector.close();
  });
});
