import zlib from 'node:zlib';
import http from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RpcStatus } from '../src/otlp/proto.js';
import type { RunningCollector } from '../src/index.js';
import { errorMessage, getJson, memoryCollector, otlpRequest, otlpSpan, postJson } from './helpers.js';

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
    expect(await errorMessage(text)).toBe('unsupported Content-Type "text/plain": use application/x-protobuf or application/json');
    const brotli = await post('hello', { 'Content-Type': 'application/json', 'Content-Encoding': 'br' });
    expect(brotli.status).toBe(415);
    expect(await errorMessage(brotli)).toMatch(/unsupported Content-Encoding "br"/);
  });

  it('answers 405 with Allow for other methods, 404 for other paths', async () => {
    const get = await fetch(`${collector.otlpUrl}/v1/traces`);
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST, OPTIONS');
    expect(await errorMessage(get)).toBe('method GET is not allowed on /v1/traces: use POST');
    const other = await fetch(`${collector.otlpUrl}/v1/metrics`, { method: 'POST' });
    expect(other.status).toBe(404);
  });

  it('answers query errors in the envelope of each API version', async () => {
    const v1 = await getJson(collector, '/api/traces?service=shop&minDuration=soon');
    expect(v1.status).toBe(400);
    expect(v1.body).toEqual({
      data: null,
      total: 0,
      limit: 0,
      offset: 0,
      errors: [{ code: 400, msg: 'cannot parse minDuration "soon": expected a duration like 250ms, 1.5s or 2h45m' }],
    });
    expect((await getJson(collector, '/api/traces')).body.errors[0].msg).toBe("parameter 'service' is required");
    expect((await getJson(collector, '/api/traces/not-hex')).status).toBe(400);
    const missing = await getJson(collector, '/api/traces/0123456789abcdef0123456789abcdef');
    expect(missing.status).toBe(404);
    expect(missing.body.errors).toEqual([{ code: 404, msg: 'trace not found' }]);
    const v3 = await getJson(collector, '/api/v3/traces?query.service_name=shop&query.start_time_min=yesterday');
    expect(v3.status).toBe(400);
    expect(v3.body.error.message).toMatch(/^cannot parse query.start_time_min "yesterday"/);
    expect((await getJson(collector, '/api/v3/traces/0123456789abcdef0123456789abcdef')).body).toEqual({
      error: { httpCode: 404, message: 'trace not found' },
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
        otlpSpan({ traceId, spanId: 'short' }),
        otlpSpan({ traceId: '00000000000000000000000000000000' }),
        otlpSpan({ traceId, spanId: 'cccccccccccccccc', endTimeUnixNano: '1' }),
      ]),
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      partialSuccess: {
        rejectedSpans: '3',
        errorMessage:
          'rejected 3 of 4 spans: 1 span: invalid spanId "short": must be 16 hex digits, not all zero; ' +
          '1 span: invalid traceId "00000000000000000000000000000000": must be 32 hex digits, not all zero; ' +
          '1 span: endTimeUnixNano is before startTimeUnixNano',
      },
    });
    const stored = await getJson(collector, `/api/traces/${traceId}`);
    expect(stored.body.data[0].spans.map((s: any) => s.spanID)).toEqual(['bbbbbbbbbbbbbbbb']);
    await collector.close();
  });
});
