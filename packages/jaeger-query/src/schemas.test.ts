import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { allGoldens, type Golden } from '../test/golden.js';
import { traceLogsAnswer } from './logs.js';
import {
  v1DependenciesAnswer,
  v1ErrorAnswer,
  v1LegacyOperationsAnswer,
  v1OperationsAnswer,
  v1ServicesAnswer,
  v1TracesAnswer,
} from './v1.js';
import { v3ErrorAnswer, v3OperationsAnswer, v3ServicesAnswer, v3TraceSummariesAnswer, v3TracesAnswer } from './v3.js';

/** The schema of the answer to a request, by endpoint and status. */
function schemaFor(golden: Golden): z.ZodType {
  const [, target = ''] = golden.request.split(' ');
  const path = new URL(target, 'http://jaeger').pathname;
  const v3 = path.startsWith('/api/v3/');
  if (golden.status >= 400) return v3 ? v3ErrorAnswer : v1ErrorAnswer;
  if (path === '/api/services') return v1ServicesAnswer;
  if (/^\/api\/services\/[^/]+\/operations$/.test(path)) return v1LegacyOperationsAnswer;
  if (path === '/api/operations') return v1OperationsAnswer;
  if (path === '/api/dependencies') return v1DependenciesAnswer;
  if (path.startsWith('/api/traces') || path === '/api/transform') return v1TracesAnswer;
  if (path === '/api/v3/services') return v3ServicesAnswer;
  if (path === '/api/v3/operations') return v3OperationsAnswer;
  if (path.startsWith('/api/v3/traces')) return v3TracesAnswer;
  throw new Error(`no schema for ${golden.request}`);
}

describe("the schemas against the real Jaeger's answers", () => {
  it.each(allGoldens().map((golden) => [golden.name, golden] as const))('%s', (_name, golden) => {
    const parsed = schemaFor(golden).safeParse(golden.body);
    expect(parsed.error?.issues ?? []).toEqual([]);
    // Nothing was dropped: every field Jaeger wrote is one the schema knows.
    expect(parsed.data).toEqual(golden.body);
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
