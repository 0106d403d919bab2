import { describe, expect, it } from 'vitest';
import { allGoldens } from '../test/golden.js';
import { answerSchemaFor } from './answers.js';
import { traceLogsAnswer } from './logs.js';
import { v1ErrorAnswer, v1TracesAnswer } from './v1.js';
import { v3ErrorAnswer, v3TraceSummariesAnswer, v3TracesAnswer } from './v3.js';

describe("the schemas against the real Jaeger's answers", () => {
  it.each(allGoldens().map((golden) => [golden.name, golden] as const))('%s', (_name, golden) => {
    const schema = answerSchemaFor(golden.request, golden.status);
    if (!schema) throw new Error(`no schema for ${golden.request}`);
    const parsed = schema.safeParse(golden.body);
    expect(parsed.error?.issues ?? []).toEqual([]);
    // Nothing was dropped: every field Jaeger wrote is one the schema knows.
    expect(parsed.data).toEqual(golden.body);
  });

  it('names a schema by endpoint and status, none for a path outside the query API', () => {
    expect(answerSchemaFor('GET /api/traces/0af7651916cd43dd8448eb211c80319c/logs', 200)).toBe(traceLogsAnswer);
    expect(answerSchemaFor('GET /api/traces/0af7651916cd43dd8448eb211c80319c?raw=true', 200)).toBe(v1TracesAnswer);
    expect(answerSchemaFor('/api/v3/trace-summaries?query.service_name=a', 200)).toBe(v3TraceSummariesAnswer);
    expect(answerSchemaFor('GET /api/v3/traces/zz', 400)).toBe(v3ErrorAnswer);
    expect(answerSchemaFor('GET /api/traces/zz', 400)).toBe(v1ErrorAnswer);
    expect(answerSchemaFor('GET /v1/traces', 200)).toBeUndefined();
  });
});

const okSpan = {
  traceID: '0af7651916cd43dd8448eb211c80319c',
  spanID: 'b7ad6b7169203331',
  operationName: 'GET',
  references: [],
  startTime: 1,
  duration: 2,
  tags: [{ key: 'span.kind', type: 'string', value: 'server' }],
  logs: [],
  processID: 'p1',
  warnings: null,
};
const okTraces = (span: unknown) => ({
  data: [{ traceID: okSpan.traceID, spans: [span], processes: { p1: { serviceName: 'api', tags: [] } }, warnings: null }],
  total: 0,
  limit: 0,
  offset: 0,
  errors: null,
});

describe('a shape that drifted fails', () => {
  it('v1: the envelope without total, a tag whose value does not match its type, an upper-case id, a missing processID', () => {
    expect(v1TracesAnswer.safeParse(okTraces(okSpan)).success).toBe(true);
    const { total: _total, ...noTotal } = okTraces(okSpan);
    expect(v1TracesAnswer.safeParse(noTotal).success).toBe(false);
    expect(v1TracesAnswer.safeParse(okTraces({ ...okSpan, tags: [{ key: 'http.status_code', type: 'int64', value: 'x' }] })).success).toBe(false);
    expect(v1TracesAnswer.safeParse(okTraces({ ...okSpan, spanID: okSpan.spanID.toUpperCase() })).success).toBe(false);
    const { processID: _processID, ...noProcess } = okSpan;
    expect(v1TracesAnswer.safeParse(okTraces(noProcess)).success).toBe(false);
  });

  it('v1: an error answer must carry its status code', () => {
    expect(v1ErrorAnswer.safeParse({ data: null, total: 0, limit: 0, offset: 0, errors: [{ code: 404, msg: 'trace not found' }] }).success).toBe(true);
    expect(v1ErrorAnswer.safeParse({ data: null, total: 0, limit: 0, offset: 0, errors: [{ msg: 'trace not found' }] }).success).toBe(false);
  });

  it('v3: a span without status, a kind out of range, a timestamp as a number', () => {
    const span = { traceId: okSpan.traceID, spanId: okSpan.spanID, startTimeUnixNano: '1', status: {} };
    const answer = (s: unknown) => ({ result: { resourceSpans: [{ resource: {}, scopeSpans: [{ scope: {}, spans: [s] }] }] } });
    expect(v3TracesAnswer.safeParse(answer(span)).success).toBe(true);
    const { status: _status, ...noStatus } = span;
    expect(v3TracesAnswer.safeParse(answer(noStatus)).success).toBe(false);
    expect(v3TracesAnswer.safeParse(answer({ ...span, kind: 6 })).success).toBe(false);
    expect(v3TracesAnswer.safeParse(answer({ ...span, startTimeUnixNano: 1 })).success).toBe(false);
  });
});

describe('answers not recorded from Jaeger 2.12', () => {
  it("reads the store's trace summaries (Jaeger 2.20), zero counts left out as proto3 JSON does", () => {
    const parsed = v3TraceSummariesAnswer.parse({
      summaries: [
        {
          traceId: okSpan.traceID,
          rootServiceName: 'api',
          rootOperationName: 'GET',
          minStartTimeUnixNano: '1704067679990000000',
          maxEndTimeUnixNano: '1704067680100000000',
          spanCount: 3,
          orphanSpanCount: '1',
          services: [{ name: 'api', spanCount: 3 }],
        },
      ],
    });
    expect(parsed.summaries[0]).toMatchObject({ spanCount: 3, errorSpanCount: 0, orphanSpanCount: 1, services: [{ name: 'api', spanCount: 3, errorSpanCount: 0 }] });
    expect(v3TraceSummariesAnswer.parse({}).summaries).toEqual([]);
  });

  it("reads the store's logs endpoint, and refuses a record without its trace id", () => {
    const record = {
      traceID: okSpan.traceID,
      spanID: '',
      timestamp: 1_000,
      severityNumber: 9,
      severityText: 'INFO',
      body: 'started',
      serviceName: 'data-processor',
      attributes: [{ key: 'name', type: 'string', value: 'alice' }],
    };
    const answer = { data: [record], total: 1, limit: 0, offset: 0, errors: null };
    expect(traceLogsAnswer.parse(answer)).toEqual(answer);
    expect(traceLogsAnswer.safeParse({ ...answer, data: [{ ...record, traceID: '' }] }).success).toBe(false);
  });
});
